"""Snapshot tests of the main views; regenerate them with `--snapshot-update`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from tui_support import panes_ready

APP_PATH = Path(__file__).parent / "snapshot_apps" / "bundled.py"
"""A module whose `app` is NotesApp on the bundled notes."""

SnapCompare = Callable[..., bool]


def test_main_view(snap_compare: SnapCompare) -> None:
    """Every entry, the first highlighted, the tree with its counts, the detail pane."""
    assert snap_compare(APP_PATH, terminal_size=(160, 50), run_before=panes_ready)


def test_filtered_view(snap_compare: SnapCompare) -> None:
    """The four ztunnel entries, the word highlighted, the counts following the filter."""
    assert snap_compare(
        APP_PATH,
        press=["slash", *"ztunnel", "enter"],
        terminal_size=(160, 50),
        run_before=panes_ready,
    )


def test_help_screen(snap_compare: SnapCompare) -> None:
    """The help lists every key and the filter language."""
    assert snap_compare(
        APP_PATH, press=["question_mark"], terminal_size=(160, 50), run_before=panes_ready
    )


def test_small_terminal(snap_compare: SnapCompare) -> None:
    """80x24: no tree, the detail under the list."""

    async def move_down(pilot: Pilot[None]) -> None:
        await panes_ready(pilot)
        await pilot.press("down")

    assert snap_compare(APP_PATH, terminal_size=(80, 24), run_before=move_down)
