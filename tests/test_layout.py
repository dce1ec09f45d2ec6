"""The main screen's layout: the panes' places, the order focus takes them in, the tooltip."""

from __future__ import annotations

import asyncio

from textual.widgets import Tooltip
from textual.widgets._footer import FooterKey
from tui_support import bundled_app, panes_ready, running


def focused_id(app: object) -> str | None:
    focused = app.focused  # type: ignore[attr-defined]
    return None if focused is None else str(focused.id)


async def test_tab_takes_the_panes_left_to_right_and_down_the_middle_column() -> None:
    app = bundled_app()
    async with running(app, size=(160, 50)) as pilot:
        await panes_ready(pilot)
        order = [focused_id(app)]
        for _ in range(4):
            await pilot.press("tab")
            order.append(focused_id(app))
        backwards = []
        for _ in range(4):
            await pilot.press("shift+tab")
            backwards.append(focused_id(app))
    assert order == ["entries", "detail", "tree", "filter", "entries"]
    assert backwards == ["filter", "tree", "detail", "entries"]


async def test_narrowing_the_terminal_moves_the_focus_from_the_tree_to_the_list() -> None:
    app = bundled_app()
    async with running(app, size=(160, 50)) as pilot:
        await panes_ready(pilot)
        app.screen.set_focus(app.screen.query_one("#tree"))
        await pilot.pause()
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        await pilot.pause()
        assert focused_id(app) == "entries"
        await pilot.press("j")  # a key for the list, not text for the filter bar
        assert app.screen.query_one("#filter").value == ""  # type: ignore[attr-defined]


async def test_the_palette_keys_tooltip_shows_whole_in_the_wide_layout() -> None:
    app = bundled_app()
    async with running(app, size=(120, 30), tooltips=True) as pilot:
        await panes_ready(pilot)
        key = next(key for key in app.screen.query(FooterKey) if key.tooltip)
        await pilot.hover(key)
        tooltip = app.screen.query_one(Tooltip)
        for _ in range(40):
            if tooltip.display:
                break
            await asyncio.sleep(0.05)
        await pilot.pause()
        assert tooltip.display
        # Its text and its padding: not cut to one blank line.
        assert tooltip.region.height == 3
        assert tooltip.region.width == len(str(key.tooltip)) + 4
