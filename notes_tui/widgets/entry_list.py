"""The entry list: one row per entry, rendered lazily with Textual's line API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

from notes_tui.model import Entry
from notes_tui.widgets.entry_rows import EntryRows


class EntryList(EntryRows, can_focus=True):
    """A list of entries that renders only the rows on screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="list-down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list-up"),
        Binding("home,g", "first", "First", show=False, id="list-first"),
        Binding("end,G", "last", "Last", show=False, id="list-last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list-page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list-page-up"),
    ]

    DEFAULT_CSS = """
    EntryList {
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    class Highlighted(Message):
        """The highlighted entry changed (None when the list is empty)."""

        def __init__(self, entry: Entry | None) -> None:
            super().__init__()
            self.entry = entry

    class Selected(Message):
        """The user chose an entry (enter or a double click)."""

        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    @property
    def entries(self) -> list[Entry]:
        """The entries shown, in order."""
        return self._entries

    @property
    def highlighted(self) -> Entry | None:
        """The entry under the cursor."""
        if 0 <= self.cursor < len(self._entries):
            return self._entries[self.cursor]
        return None

    def show(self, entries: Sequence[Entry], highlights: Sequence[str] = ()) -> None:
        """Replace the entries shown, keeping the highlighted entry when it is still there.

        Args:
            entries: The entries to show.
            highlights: Case-folded words to highlight.
        """
        previous = self.highlighted
        self._entries = list(entries)
        self._highlights = tuple(highlights)
        self._set_virtual_height()
        cursor = 0
        # The first row stays highlighted while entries arrive (loading, a new filter);
        # an entry the user moved to stays highlighted when it is still shown.
        if previous is not None and self.cursor != 0:
            cursor = _index(self._entries, previous)
        self.cursor = min(cursor, max(0, len(self._entries) - 1))
        self.refresh()

    def watch_cursor(self, old: int, new: int) -> None:
        if self._entries:
            self.scroll_to_region_if_needed(new)
        # Only the rows that lose and gain the cursor change (a scroll repaints everything).
        self.refresh_line(old)
        self.refresh_line(new)
        self.post_message(self.Highlighted(self.highlighted))

    def scroll_to_region_if_needed(self, row: int) -> None:
        """Scroll so that a row is visible."""
        top = int(self.scroll_offset.y)
        height = max(1, self.scrollable_content_region.height)
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False)

    def _move(self, delta: int) -> None:
        if self._entries:
            self.cursor = max(0, min(len(self._entries) - 1, self.cursor + delta))

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_first(self) -> None:
        self._move(-len(self._entries))

    def action_last(self) -> None:
        self._move(len(self._entries))

    def action_page_down(self) -> None:
        self._move(max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self._move(-max(1, self.scrollable_content_region.height - 1))

    def select(self) -> None:
        """Post `Selected` for the highlighted entry."""
        entry = self.highlighted
        if entry is not None:
            self.post_message(self.Selected(entry))

    def on_click(self, event: events.Click) -> None:
        row = int(self.scroll_offset.y) + event.y
        if 0 <= row < len(self._entries):
            self.cursor = row
            if event.chain >= 2:
                self.select()

    def on_resize(self, event: events.Resize) -> None:
        # Rows are cached by width too: the cache stays. The virtual width stays 0 (rows are
        # cut to the width, never scrolled sideways), so a resize lays nothing out again.
        self._set_virtual_height()

    def _set_virtual_height(self) -> None:
        """One virtual line per entry.

        A new count changes the scrollbar, not the layout of the screen: once laid out, the
        list updates its scrollbar in place, and asks for a layout only when the scrollbar
        comes or goes (`_refresh_scrollbars` does). Setting `virtual_size` would lay out the
        whole screen again at nearly every filter keystroke.
        """
        size = Size(0, len(self._entries))
        if self.virtual_size == size:
            return
        if not self.size:
            self.virtual_size = size
            return
        self.set_reactive(Widget.virtual_size, size)
        self._scroll_update(size)
        self.refresh()


def _index(entries: list[Entry], entry: Entry) -> int:
    """`entries.index(entry)`, or 0 when absent, without comparing whole entries at each step.

    Entries are compared field by field (a tuple of every field each time): at 20,000
    entries `list.index` costs milliseconds. Only an entry on the same line can be equal.
    """
    line = entry.line
    for position, candidate in enumerate(entries):
        if candidate is entry or (candidate.line == line and candidate == entry):
            return position
    return 0
