"""A slot: a pane's place in the layout, filled with its widget just after the first frame."""

from __future__ import annotations

from textual.containers import Container
from textual.widget import Widget


class Slot(Container):
    """Holds a pane's place until the screen fills it: the pane then takes its place.

    The screen fills its slots once its first frame is out. That frame then shows what a
    user reads first, the entry list and its status line, without waiting for the panes
    around it (the title bar, the tree, the detail and the footer), which arrive in the frames
    right after it. The stylesheet gives a slot its pane's size, border and background, so
    nothing moves when the pane replaces it. (Textual's `Lazy` mounts late too, but holds
    no place meanwhile.) The slot goes once filled: a container left behind a pane would
    be painted again with it at every change.
    """

    DEFAULT_CSS = """
    Slot {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, pane: Widget, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pane = pane
        """The widget this slot holds a place for."""

    async def fill(self) -> None:
        """Mount the pane in the slot's place (once); return when it is mounted."""
        parent = self.parent
        if self.pane.parent is None and isinstance(parent, Widget):
            await parent.mount(self.pane, after=self)
            await self.remove()
