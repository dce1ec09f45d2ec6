"""The footer's keys change in the frame that shows what changed them, not in a frame after."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from tui_support import SIZE, bundled_app, entry_list, running

from notes_tui.widgets.entry_detail import EntryDetail

Cells = list[tuple[str, Any]]


def footer_cells(pilot: Pilot[Any]) -> Cells:
    """The footer's line as the screen is painted now."""
    width, height = SIZE
    strip = pilot.app.screen._compositor.render_strips()[height - 1]
    return [(segment.text, segment.style) for segment in strip.crop(0, width).simplify()]


async def settle(pilot: Pilot[Any]) -> None:
    """Process what is pending (the detail's blocks too), then paint."""
    for _ in range(100):
        await pilot.pause()
        if not any(detail.updating for detail in pilot.app.screen.query(EntryDetail)):
            break
    pilot.app.screen._on_timer_update()
    await pilot.pause()


async def test_copy_keys_dim_in_the_frame_that_moves_the_cursor() -> None:
    app = bundled_app()
    async with running(app, size=SIZE) as pilot:
        await settle(pilot)
        entries = entry_list(app)
        without = next(n for n, entry in enumerate(entries.entries) if not entry.issues)
        entries.cursor = without - 1
        await settle(pilot)
        before = footer_cells(pilot)
        screen = app.screen
        frames: list[tuple[int, Cells]] = []
        paint = screen._compositor_refresh

        def recorded() -> None:
            paint()
            frames.append((entries.cursor, footer_cells(pilot)))

        screen._compositor_refresh = recorded  # type: ignore[method-assign]
        await pilot.press("j")  # onto the entry with no issue: `y` is dimmed
        for _ in range(3):
            await settle(pilot)
        after = footer_cells(pilot)
        assert after != before
        first = next(cells for cursor, cells in frames if cursor == without)
        assert first == after
