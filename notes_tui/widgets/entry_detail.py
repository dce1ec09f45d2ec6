"""The detail pane: the highlighted entry, its issues and links, and its Markdown rendered."""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it import MarkdownIt
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Markdown, Static

from notes_tui.highlight import make_highlighting_parser
from notes_tui.model import Entry, Link
from notes_tui.sanitize import clean_block, clean_line


def numbered_links(entry: Entry) -> list[Link]:
    """The links a user can open, numbered as the detail pane shows them.

    Issue references come first, then the entry's other links.

    Args:
        entry: The entry.

    Returns:
        The links in order.
    """
    links = [Link(ref.url, f"{ref.repo}#{ref.number}") for ref in entry.issues]
    seen = {link.url for link in links}
    for link in entry.links:
        if link.url not in seen:
            seen.add(link.url)
            links.append(link)
    return links


def header_content(entry: Entry, also_in: Sequence[str] = ()) -> Content:
    """The detail pane's heading: release, area, kind and place, backports, numbered links.

    Args:
        entry: The entry.
        also_in: Other releases its issues appear in.

    Returns:
        Content built from data (never parsed as markup).
    """
    meta = Content.assemble(
        (clean_line(entry.release), "bold"),
        "  ·  ",
        clean_line(entry.area),
        "  ·  ",
        (clean_line(entry.kind_label or entry.kind), "bold"),
        f"  ·  {clean_line(entry.source.rsplit('/', 1)[-1])}:{entry.line}",
    )
    parts = [meta]
    if also_in:
        others = ", ".join(clean_line(version) for version in also_in)
        parts.append(Content.assemble("\n", ("Also in: ", "bold"), others))
    links = numbered_links(entry)
    if links:
        parts.append(Content("\n"))
    for number, link in enumerate(links, 1):
        label = clean_line(link.label)
        url = clean_line(link.url)
        text = f"{label}  {url}" if label != link.url else url
        parts.append(Content.assemble("\n", (f"[{number}] ", "bold"), text))
    return Content("").join(parts)


class EntryDetail(VerticalScroll, can_focus=True):
    """Shows one entry; only the highlighted entry is ever rendered."""

    class LinkClicked(Message):
        """A link in the rendered Markdown was clicked."""

        def __init__(self, href: str) -> None:
            super().__init__()
            self.href = href

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entry: Entry | None = None
        self._words: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(Content("No entry to show."), id="detail-header", markup=False)
        yield Markdown("", id="detail-markdown", open_links=False, parser_factory=self._make_parser)

    def _make_parser(self) -> MarkdownIt:
        return make_highlighting_parser(self._words)

    @property
    def entry(self) -> Entry | None:
        """The entry shown."""
        return self._entry

    def show(
        self, entry: Entry | None, words: Sequence[str] = (), also_in: Sequence[str] = ()
    ) -> None:
        """Show an entry (or nothing).

        Args:
            entry: The entry, or None.
            words: Case-folded words to highlight.
            also_in: Other releases the entry's issues appear in (backports).
        """
        words = tuple(words)
        if entry is self._entry and words == self._words:
            return
        self._entry, self._words = entry, words
        header = self.query_one("#detail-header", Static)
        markdown = self.query_one("#detail-markdown", Markdown)
        if entry is None:
            header.update(Content("No entry matches."))
            markdown.update("")
            return
        header.update(header_content(entry, also_in))
        markdown.update(clean_block(entry.markdown))
        self.scroll_home(animate=False)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        self.post_message(self.LinkClicked(event.href))
