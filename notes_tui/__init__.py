"""notes-tui: read release notes in the terminal."""

__version__ = "0.1.0"
