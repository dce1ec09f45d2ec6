"""One walk over an Istio page's top-level blocks: its sections, their prose and entry drafts."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.token import Token

from notes_tui.parse.blocks import EntryDraft, first_inline, leading_kind
from notes_tui.parse.kinds import OTHER, kind_of
from notes_tui.parse.markdown import inline_text

DEFAULT_AREA = "Changes"
"""The area of entries that come before any heading."""

_CONTINUING_DOCS = frozenset({"change-notes", "patch-notes"})


@dataclass
class SectionDraft:
    """A section as the walk fills it in: entry drafts, prose line ranges, subsections."""

    title: str
    """The heading's text (`DEFAULT_AREA` for entries before any heading)."""
    heading_line: int
    """The heading's first line in the body."""
    entries: list[EntryDraft] = field(default_factory=list)
    """Its entry drafts, in order."""
    prose: list[tuple[int, int]] = field(default_factory=list)
    """The `(start, end)` line ranges of its prose."""
    subsections: list[SectionDraft] = field(default_factory=list)
    """The sections of its sub-headings."""
    end_line: int = 0
    """Not filled in by the walk (always 0)."""


def _block_end(tokens: list[Token], index: int) -> int:
    """Return the index just past the block that starts at `index`."""
    opening = tokens[index]
    if opening.nesting != 1:
        return index + 1
    for position in range(index + 1, len(tokens)):
        token = tokens[position]
        if token.level == opening.level and token.nesting == -1:
            return position + 1
    return len(tokens)


def _is_comment(token: Token) -> bool:
    return token.type == "html_block" and token.content.lstrip().startswith("<!--")


class Walker:
    """One walk over a document's top-level blocks, building sections and entry drafts."""

    def __init__(self, tokens: list[Token], doc_kind: str) -> None:
        self.tokens = tokens
        self.doc_kind = doc_kind
        self.sections: list[SectionDraft] = []
        self.current: SectionDraft | None = None
        self.top: SectionDraft | None = None
        self.intro: list[tuple[int, int]] = []
        levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open" and t.level == 0]
        self.top_level = max(2, min(levels)) if levels else 2

    def walk(self) -> None:
        index = 0
        while index < len(self.tokens):
            token = self.tokens[index]
            end = _block_end(self.tokens, index)
            if token.type == "heading_open":
                self._heading(token, self.tokens[index + 1])
            elif token.type == "bullet_list_open":
                self._list(index, end)
            elif not _is_comment(token):
                self._block(index, end)
            index = end

    def _heading(self, token: Token, inline: Token) -> None:
        title = " ".join(inline_text(inline.children or []).split()) or DEFAULT_AREA
        start = token.map[0] if token.map else 0
        section = SectionDraft(title, start)
        if int(token.tag[1]) <= self.top_level or self.top is None:
            self.sections.append(section)
            self.top = section
        else:
            self.top.subsections.append(section)
        self.current = section

    def _section(self) -> SectionDraft:
        if self.current is None:
            self.current = SectionDraft(DEFAULT_AREA, 0)
            self.top = self.current
            self.sections.append(self.current)
        return self.current

    def _list(self, start: int, end: int) -> None:
        section = self._section()
        if self.doc_kind == "upgrade-notes" and section.prose:
            # Bullets after an explanation belong to it: the heading is the entry.
            self._block(start, end)
            return
        index = start + 1
        while index < end - 1:
            item_end = _block_end(self.tokens, index)
            item = self.tokens[index]
            body = self.tokens[index + 1 : item_end - 1]
            item_map = item.map or [0, 0]
            inline = first_inline(body)
            kind, label, opens_strong = leading_kind(inline)
            previous = section.entries[-1] if section.entries else None
            if (
                previous is not None
                and previous.kind != OTHER
                and previous.opens_bold
                and kind == OTHER
                and not opens_strong
                and self.doc_kind in _CONTINUING_DOCS
            ):
                # A plain bullet at column 0 right after a `**Verb**` entry: the author's
                # sub-bullet. After a plain-verb entry (`- Fix ...`) it is a sibling entry.
                previous.tokens.extend(body)
                previous.ranges.append((item_map[0], item_map[1], 0))
            else:
                draft = EntryDraft(list(body), [(item_map[0], item_map[1], 1)], kind, label)
                draft.summary_source = [inline] if inline is not None else []
                draft.opens_bold = opens_strong
                section.entries.append(draft)
            index = item_end

    def _block(self, start: int, end: int) -> None:
        token = self.tokens[start]
        block_map = token.map or [0, 0]
        section = self.current
        if section is not None and self._bold_paragraph(start, end):
            return
        previous = section.entries[-1] if section is not None and section.entries else None
        if previous is not None and previous.kind != OTHER and self.doc_kind in _CONTINUING_DOCS:
            # A column-0 paragraph after a blank line: the author meant it to continue the entry.
            previous.tokens.extend(self.tokens[start:end])
            previous.ranges.append((block_map[0], block_map[1], 0))
        elif section is None:
            self.intro.append((block_map[0], block_map[1]))
        else:
            section.prose.append((block_map[0], block_map[1]))

    def _bold_paragraph(self, start: int, end: int) -> bool:
        """Take a column-0 paragraph opening with `**Verb**` as an entry whose `- ` was lost."""
        token = self.tokens[start]
        if token.type != "paragraph_open" or self.doc_kind not in _CONTINUING_DOCS:
            return False
        inline = self.tokens[start + 1]
        kind, label, opens_strong = leading_kind(inline)
        # A verb only: `__CVE-...__:` paragraphs of old patch notes stay as they were.
        if not opens_strong or kind_of(label) is None or self.current is None:
            return False
        block_map = token.map or [0, 0]
        draft = EntryDraft(
            list(self.tokens[start:end]), [(block_map[0], block_map[1], 0)], kind, label
        )
        draft.summary_source, draft.opens_bold = [inline], True
        self.current.entries.append(draft)
        return True
