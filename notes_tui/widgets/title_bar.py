"""The title bar: the app's name and what is open, on one line at the top."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from notes_tui.widgets.sizing import SizedWithoutRelayout


class TitleBar(Static, SizedWithoutRelayout):
    """The header line: the app's title and sub-title, centred.

    Textual's `Header` in one widget: cheap enough for the first frame, and nothing in it
    to look up later (`Header` finds its title widget when the title changes, and fails
    when that widget went first, as when the app quits while starting). Its first layout
    asks for no second one (`SizedWithoutRelayout`): it arrives just after the first frame,
    and a second layout would cost one more frame before every pane is painted.
    """

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        content-align: center middle;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._show_title)
        self.watch(self.app, "sub_title", self._show_title)

    def _show_title(self) -> None:
        title, sub_title = self.app.title, self.app.sub_title
        text = f"{title} — {sub_title}" if sub_title else title
        self.update(Content(text), layout=False)
