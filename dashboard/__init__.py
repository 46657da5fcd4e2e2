"""The web dashboard and its read API (issue 6)."""
