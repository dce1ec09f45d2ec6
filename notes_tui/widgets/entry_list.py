"""The entry list: one row per entry, rendered lazily with Textual's line API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from notes_tui.highlight import match_spans
from notes_tui.model import Entry
from notes_tui.output import issue_numbers, kind_shown
from notes_tui.parse.kinds import KIND_ORDER
from notes_tui.sanitize import clean_line
from notes_tui.widgets.sizing import SteadyScrollbars

ROW_CACHE_SIZE = 512
"""How many rendered rows the list keeps."""

BADGE_WIDTH = max(len(kind) for kind in KIND_ORDER) + 2
"""Cells given to the kind badge: every kind of the vocabulary whole (`Performance`), with a
space on each side."""

KIND_CLASSES = {
    "Added": "added",
    "Changed": "changed",
    "Deprecated": "deprecated",
    "Removed": "removed",
    "Fixed": "fixed",
    "Security": "security",
    "Performance": "improved",
    "Breaking": "upgrade",
    "Docs": "other",
    "Dependency": "updated",
}
"""Which badge colour each kind gets (the rest are `other`)."""


class EntryList(SteadyScrollbars, can_focus=True):
    """A list of entries that renders only the rows on screen."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="list-down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list-up"),
        Binding("home,g", "first", "First", show=False, id="list-first"),
        Binding("end,G", "last", "Last", show=False, id="list-last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list-page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list-page-up"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "entry-list--cursor",
        "entry-list--match",
        "entry-list--issues",
        "entry-list--kind-added",
        "entry-list--kind-fixed",
        "entry-list--kind-improved",
        "entry-list--kind-updated",
        "entry-list--kind-changed",
        "entry-list--kind-removed",
        "entry-list--kind-deprecated",
        "entry-list--kind-promoted",
        "entry-list--kind-security",
        "entry-list--kind-upgrade",
        "entry-list--kind-other",
    }

    DEFAULT_CSS = """
    EntryList {
        overflow-x: hidden;
        overflow-y: auto;
    }
    """

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """The highlighted row (`watch_cursor` repaints the two rows that change)."""

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

    def __init__(
        self,
        entries: Sequence[Entry] = (),
        highlights: Sequence[str] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: list[Entry] = list(entries)
        """The entries shown; given here, the first frame already shows them."""
        self._highlights: tuple[str, ...] = tuple(highlights)
        self._row_cache: LRUCache[tuple[int, int, bool, tuple[str, ...]], tuple[Entry, Strip]]
        self._row_cache = LRUCache(ROW_CACHE_SIZE)
        """Rendered rows by entry, width, cursor and highlights: kept across filter changes,
        so rows shown again (backspacing, clearing a filter) are not rendered again."""
        self._base_style = Style()
        """`rich_style`, computed once per render (it walks every ancestor's styles)."""
        self._row_styles: dict[str, Style] = {}
        """The component classes' styles (`_component_style`)."""

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

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        row = int(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if row >= len(self._entries):
            return Strip.blank(width, self._base_style)
        selected = row == self.cursor
        entry = self._entries[row]
        key = (id(entry), width, selected, self._highlights)
        cached = self._row_cache.get(key)
        if cached is not None and cached[0] is entry:
            return cached[1]
        strip = self._render_row(entry, width, selected)
        self._row_cache[key] = (entry, strip)
        return strip

    def _render_row(self, entry: Entry, width: int, selected: bool) -> Strip:
        """One row: the kind badge, the summary (matches marked), the issue numbers.

        Built as segments, cut to the width in cells with an ellipsis; a summary too long
        for its row is cut so that the issue numbers still show.
        """
        base = self._base_style
        if selected:
            base = base + self._component_style("entry-list--cursor")
        kind_class = KIND_CLASSES.get(entry.kind, "other")
        badge = clean_line(kind_shown(entry, BADGE_WIDTH - 2))[: BADGE_WIDTH - 2]
        pieces: list[tuple[str, Style]] = [
            (
                f" {badge.center(BADGE_WIDTH - 2)} ",
                base + self._component_style(f"entry-list--kind-{kind_class}"),
            ),
            (" ", base),
        ]
        summary = clean_line(entry.summary)
        marked = base + self._component_style("entry-list--match")
        at = 0
        for begin, end in match_spans(summary, self._highlights):
            pieces += [(summary[at:begin], base), (summary[begin:end], marked)]
            at = end
        pieces.append((summary[at:], base))
        issues = clean_line(issue_numbers(entry))
        if issues:
            room = width - cell_len(issues) - 2
            pieces = _fit(pieces, max(BADGE_WIDTH + 4, room))
            pieces += [("  ", base), (issues, base + self._component_style("entry-list--issues"))]
        segments = [Segment(text, style) for text, style in _fit(pieces, width) if text]
        return Strip(segments).crop_extend(0, width, base).simplify()

    def _component_style(self, name: str) -> Style:
        """A component class's style, kept until the styles change."""
        style = self._row_styles.get(name)
        if style is None:
            style = self._row_styles[name] = self.get_component_rich_style(name)
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._row_cache.clear()
        self._row_styles.clear()


def _fit(pieces: list[tuple[str, Style]], width: int) -> list[tuple[str, Style]]:
    """Styled pieces of text cut to `width` cells, the last cell an ellipsis when cut.

    Args:
        pieces: Text and style, in order.
        width: The most cells.

    Returns:
        The pieces, or the pieces that fit and the one cut, ending in `…` in its style.
    """
    if sum(cell_len(text) for text, _ in pieces) <= width:
        return pieces
    kept: list[tuple[str, Style]] = []
    room = max(0, width - 1)
    for text, style in pieces:
        cells = cell_len(text)
        if cells <= room:
            kept.append((text, style))
            room -= cells
            continue
        kept.append((set_cell_size(text, room) + "…", style))
        break
    return kept


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
