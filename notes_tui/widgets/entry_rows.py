"""The entry list's rows: each drawn as segments cut to the width, only those on screen, cached."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Region
from textual.reactive import reactive
from textual.strip import Strip

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


class EntryRows(SteadyScrollbars):
    """Entries drawn one a row with Textual's line API: only the rows on screen, each cached.

    `EntryList` adds the keys, the mouse, the scrolling and the messages.
    """

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

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """The highlighted row (`EntryList.watch_cursor` repaints the two rows that change)."""

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
        badge = clean_line(kind_shown(entry, BADGE_WIDTH - 2))
        pieces: list[tuple[str, Style]] = [
            (
                f" {_centre(badge, BADGE_WIDTH - 2)} ",
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


def _centre(text: str, width: int) -> str:
    """`str.center` in terminal cells (a wide character takes two), cut to `width` cells."""
    if cell_len(text) > width:
        text = set_cell_size(text, width)
    margin = width - cell_len(text)
    left = margin // 2 + (margin & width & 1)  # Where `str.center` puts the odd space.
    return " " * left + text + " " * (margin - left)


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
