"""The app on the bundled notes, for snapshot tests (`snap_compare` imports `app` from here)."""

from __future__ import annotations

from notes_tui.app import NotesApp
from notes_tui.loading import load

app = NotesApp(load([]).releases)
