"""CLI subcommands that live in their own modules.

A module here that defines a module-level `command` (a `click.Command` or `click.Group`) is
added to `pathwatch` automatically (pathwatch/cli.py), so a new subcommand touches no shared file.
Import heavy dependencies inside the command function to keep `pathwatch --help` fast.
"""
