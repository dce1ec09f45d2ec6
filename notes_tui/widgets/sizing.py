"""Fixes to how Textual's layout tells widgets their size, shared by the widgets.

The two classes are listed after a widget's own base (`class SectionTree(CountedTree,
SteadyScrollbars)`): Textual takes CSS and component classes from the first base only.
`update_static` gives a `Static` new content without a layout when its height stays.
"""

from __future__ import annotations

from typing import cast

from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import Static


class SteadyScrollbars(ScrollView):
    """A scrolling widget that updates its scrollbars only when one of its sizes changed.

    `ScrollView` compares the virtual size the compositor passes with its own, which never
    match, so every layout anywhere on the screen repaints the widget's scrollbars (a
    millisecond or two each). Nothing changed, nothing to update.
    """

    _sizes_seen: tuple[Size, ...] = ()
    """The sizes of the last update that went through."""

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        sizes = (size, virtual_size, container_size, self.virtual_size)
        if sizes == self._sizes_seen:
            return False
        self._sizes_seen = sizes
        return super()._size_updated(size, virtual_size, container_size, layout)


class SizedWithoutRelayout(Widget):
    """A widget that takes a new size without asking for a second layout.

    When a layout gives a widget a new size, Textual records it in a reactive that asks for
    another layout of the whole screen, in the next frame. For a widget that does not
    scroll, and whose content (if any) that same layout just arranged, the second layout
    redoes what was done: one more reflow and repaint of the screen each time, as at a
    cursor move that changes the detail pane's height.
    """

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)


def update_static(widget: Static, visual: Visual) -> None:
    """`Static.update`, without a layout of the whole screen when the height stays the same.

    Args:
        widget: The widget (laid out already, or it is laid out anyway).
        visual: Its new content.
    """
    width, height = widget.size
    # What `Widget.get_content_height` asks of the widget's visual (it passes its styles too).
    rules = cast("RulesMap", widget.styles)
    same_height = width > 0 and visual.get_height(rules, width) == height
    widget.update(visual, layout=not same_height)
