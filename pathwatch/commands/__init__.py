"""CLI subcommands that live in their own modules; `pathwatch.cli` registers each one."""
