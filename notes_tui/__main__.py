"""Run notes-tui with `python -m notes_tui`."""

from notes_tui.cli import main

raise SystemExit(main())
