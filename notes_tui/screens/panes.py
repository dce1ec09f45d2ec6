"""The main screen's panes as a layout: narrow or wide, and the order the focus takes them in."""

from __future__ import annotations

from textual import events
from textual.screen import Screen
from textual.widget import Widget

NARROW_WIDTH = 110
"""Below this many columns the tree hides and the detail moves under the list."""

FOCUS_ORDER = ("tree", "filter", "entries", "detail")
"""The panes in the order `tab` visits them: the tree, then the middle column top to bottom
(the filter bar, the list), then the detail."""


class PaneLayout(Screen[None]):
    """The stylesheet's grid places the panes (`app.tcss`); this keeps focus in their order."""

    @property
    def focus_chain(self) -> list[Widget]:
        """Focusable widgets in `FOCUS_ORDER`.

        Textual orders focus by position, row first. The panes sit in the screen's grid
        with no container per column, so that order would take the detail, at the top
        right, before the list under the filter bar.
        """
        return sorted(super().focus_chain, key=_pane_rank)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < NARROW_WIDTH
        self.set_class(narrow, "-narrow")
        focused = self.focused
        if narrow and focused is not None and _pane_rank(focused) == FOCUS_ORDER.index("tree"):
            # The tree hides: the list takes the focus (the next in the chain would be the
            # filter bar, where keys would be typed).
            self.set_focus(self.query_one("#entries"))


def _pane_rank(widget: Widget) -> int:
    """The place in `FOCUS_ORDER` of the pane a widget is in (after them all when none)."""
    for node in widget.ancestors_with_self:
        if node.id in FOCUS_ORDER:
            return FOCUS_ORDER.index(node.id)
    return len(FOCUS_ORDER)
