"""Find `promtool` (Debian package `prometheus`), installing it with apt-get when missing."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess

from pathwatch.stack.common import StackError

logger = logging.getLogger(__name__)


def ensure_promtool() -> str:
    """Path of promtool; `apt-get install prometheus` first if it is not on PATH (idempotent)."""
    found = shutil.which("promtool")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None:
        raise StackError("promtool is missing and apt-get is not available; install `prometheus`")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    logger.info("installing prometheus (for promtool) with apt-get")
    for cmd in (
        [*sudo, apt, "update", "-qq"],
        [*sudo, apt, "install", "-y", "-qq", "--no-install-recommends", "prometheus"],
    ):
        result = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        if result.returncode != 0:
            raise StackError(
                f"promtool: `{' '.join(cmd)}` failed (exit {result.returncode}):\n"
                f"{result.stderr[-2000:]}"
            )
    found = shutil.which("promtool")
    if not found:
        raise StackError("apt-get installed prometheus but promtool is not on PATH")
    return found
