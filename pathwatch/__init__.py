"""Pathwatch: the shell around the pipeline (CLI, settings, logging, metric definitions)."""

from pathlib import Path

__version__ = "0.1.0"

#: Root of the source checkout (editable install); deploy/ and docs/ live here.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
