"""Release blocks read as headings over bullets: the walk the changelog formats share."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain

from markdown_it.token import Token

from notes_tui.links import resolve_url
from notes_tui.model import Entry, Link, Release, Section, area_key
from notes_tui.parse.blocks import (
    CVE_ID,
    SENTENCE_CUT,
    first_inline,
    item_dedent,
    slice_markdown,
    summarize,
)
from notes_tui.parse.changelog import ChangelogContext, ReleaseBlock
from notes_tui.parse.credits import bold_kind, credit_and_summary, marked_text, unmarked
from notes_tui.parse.deferred import parse_deferred
from notes_tui.parse.headings import (
    META_ROLE,
    HeadingRole,
    HeadingRule,
    Role,
    heading_title,
    is_metadata_paragraph,
    pseudo_heading,
    release_date,
    release_version,
)
from notes_tui.parse.kinds import OTHER
from notes_tui.parse.markdown import BARE_URL, links_of, plain_text
from notes_tui.parse.vocabulary import clean_label, word_kind
from notes_tui.parse.walk import issues_in, with_definitions

DEFAULT_AREA = "Changes"
"""The area of entries that come before any heading of their release."""
_DEFAULT_KEY = area_key(DEFAULT_AREA)

_REFERENCE_USE = re.compile(r"\](?![(:])")
"""A `]` that closes a reference link (`[#136]`, `[text][label]`), not an inline one."""
_NO_DEFINITIONS: dict[str, str] = {}
"""Reference definitions are not kept per block: `with_definitions` finds them by the links."""


def _close(tokens: Sequence[Token], index: int) -> int:
    """The index just past the block that opens at `index`."""
    opening = tokens[index]
    if opening.nesting != 1:
        return index + 1
    level = opening.level
    for position in range(index + 1, len(tokens)):
        token = tokens[position]
        if token.nesting == -1 and token.level == level:
            return position + 1
    return len(tokens)


@dataclass(slots=True)
class _SectionDraft:
    title: str
    area: str
    area_key: str
    entries: list[Entry] = field(default_factory=list)
    prose: list[tuple[int, int]] = field(default_factory=list)
    subsections: list[_SectionDraft] = field(default_factory=list)


_PendingEntry = tuple[list[Token], list[int], Token, _SectionDraft, HeadingRole | None]
"""A list item to build an entry from: its tokens, line map, first inline, section, kind heading."""


@dataclass(slots=True)
class _Frame:
    level: int
    role: HeadingRole
    section: _SectionDraft | None


class _Walker:
    """One walk over a release block's top-level tokens."""

    __slots__ = (
        "block",
        "context",
        "default",
        "frames",
        "intro",
        "meta",
        "pending",
        "rule",
        "sections",
        "version",
    )

    def __init__(self, block: ReleaseBlock, context: ChangelogContext, rule: HeadingRule):
        self.block = block
        self.context = context
        self.rule = rule
        self.version = release_version(block.title)
        self.frames: list[_Frame] = []
        self.sections: list[_SectionDraft] = []
        self.default: _SectionDraft | None = None
        self.intro: list[tuple[int, int]] = []
        self.meta: list[tuple[int, int]] = []
        self.pending: list[_PendingEntry] = []
        """The list items that are entries, in order: built once the walk has found them all."""

    def walk(self) -> None:
        tokens = self.block.tokens
        index, count = 0, len(tokens)
        while index < count:
            token = tokens[index]
            kind = token.type
            if kind == "heading_open":
                self._heading(int(token.tag[1]), heading_title(tokens[index + 1]))
                index += 3
            elif kind == "paragraph_open":
                self._paragraph(token, tokens[index + 1])
                index += 3
            elif kind == "bullet_list_open":
                index = self._list(index)
            else:
                end = _close(tokens, index)
                # Rules (`---` between attrs' releases) and comments say nothing.
                if kind != "hr" and not (
                    kind == "html_block" and token.content.lstrip().startswith("<!--")
                ):
                    self._prose(token)
                index = end
        pending = self.pending
        if pending:
            # The entries' inline Markdown in one go; prose and metadata stay unparsed.
            parse_deferred(chain.from_iterable(item[0] for item in pending), self.block.inline_env)
            for body, item_map, inline, section, heading in pending:
                section.entries.append(self._entry(body, item_map, inline, section, heading))

    def _heading(self, level: int, title: str) -> None:
        frames = self.frames
        while frames and frames[-1].level >= level:
            frames.pop()
        if frames and frames[-1].role.role is Role.META:
            frames.append(_Frame(level, META_ROLE, None))
            return
        inherited = next((f.role.kind for f in reversed(frames) if f.role.role is Role.KIND), None)
        role = self.rule(title, inherited)
        if role.role is Role.META:
            frames.append(_Frame(level, role, None))
            return
        parent = next((f.section for f in reversed(frames) if f.section is not None), None)
        # `### [Fixed]` is the area `Fixed`, like `### Fixed`; the kind label keeps the brackets.
        title = clean_label(title).strip("[]") if role.role is Role.KIND else clean_label(title)
        area = parent.area if parent is not None else title
        section = _SectionDraft(title, area, _area_key(area))
        (parent.subsections if parent is not None else self.sections).append(section)
        frames.append(_Frame(level, role, section))

    def _paragraph(self, token: Token, inline: Token) -> None:
        if inline.content.startswith("#"):
            pseudo = pseudo_heading(inline)
            if pseudo is not None:
                self._heading(*pseudo)
                return
        if is_metadata_paragraph(inline):
            self._add_range(self.meta, token)
            return
        self._prose(token)

    def _prose(self, token: Token) -> None:
        frames = self.frames
        if frames and frames[-1].role.role is Role.META:
            self._add_range(self.meta, token)
        elif frames and frames[-1].section is not None:
            self._add_range(frames[-1].section.prose, token)
        else:
            self._add_range(self.intro, token)

    @staticmethod
    def _add_range(ranges: list[tuple[int, int]], token: Token) -> None:
        if token.map:
            ranges.append((token.map[0], token.map[1]))

    def _list(self, start: int) -> int:
        """Read a top-level bullet list's items as entries; return the index past the list."""
        tokens = self.block.tokens
        frames = self.frames
        if frames and frames[-1].role.role is Role.META:
            self._add_range(self.meta, tokens[start])
            return _close(tokens, start)
        section = frames[-1].section if frames else None
        if section is None:
            if self.default is None:
                self.default = _SectionDraft(DEFAULT_AREA, DEFAULT_AREA, _DEFAULT_KEY)
                self.sections.append(self.default)
            section = self.default
        heading = None
        for frame in reversed(frames):
            if frame.role.role is Role.KIND:
                heading = frame.role
                break
        index, count = start + 1, len(tokens)
        while index < count and tokens[index].type == "list_item_open":
            item = tokens[index]
            past = index + 5
            # One paragraph (`<li><p>inline</p></li>`, most entries) needs no search for its end.
            if not (
                past <= count
                and tokens[index + 1].type == "paragraph_open"
                and tokens[past - 1].type == "list_item_close"
            ):
                past = _close(tokens, index)
            body = tokens[index + 1 : past - 1]
            # An item opens with a paragraph (its inline token second) but for odd ones.
            inline = body[1] if len(body) > 1 and body[1].type == "inline" else first_inline(body)
            if inline is not None and inline.content.strip():
                self.pending.append((body, item.map or [0, 0], inline, section, heading))
            index = past
        return index + 1  # past `bullet_list_close`

    def _entry(
        self,
        body: list[Token],
        item_map: list[int],
        inline: Token,
        section: _SectionDraft,
        heading: HeadingRole | None,
    ) -> Entry:
        children = inline.children or []
        marked = marked_text(children)
        if "@" in marked or "http" in marked or "\x03" in marked:
            summary, authors = credit_and_summary(marked)
        else:
            summary, authors = marked, ""  # nothing to trim
        lead = bold_kind(children)
        if lead is not None:
            # `**Breaking Change**, ...` under `### Changes`: the entry says more than its heading.
            kind, label = lead
        elif heading is not None and heading.kind:
            kind, label = heading.kind, heading.label
        else:
            kind, label = word_kind(summary) or (OTHER, "")
            if kind == OTHER and heading is not None:
                label = heading.label
        context = self.context
        lines = context.lines
        start, end = item_map
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1  # the blank line a loose list keeps after an item
        if end - start == 1:
            markdown = item_dedent(lines[start])[0]  # one line (most entries): no slicing
        else:
            markdown = slice_markdown(lines, [(start, end, 1)])
        plain = unmarked(marked) if "\x02" in marked else marked
        summary = summary or plain
        if len(summary) > SENTENCE_CUT or summary.endswith(")"):
            summary = summarize(summary)  # else already what `summarize` would give
        # A one-paragraph item (most entries): its text is the paragraph's.
        text = plain if len(body) == 3 else plain_text(body)
        if len(children) == 1 and children[0].type == "text" and len(body) == 3:
            links = _bare_links(children[0].content)  # what `links_of` finds there, sooner
        else:
            links = links_of(body, context.base_url)
        if "]" in markdown and _REFERENCE_USE.search(markdown):
            # `[#136]` defined at the end of the file: the entry's Markdown carries the URL.
            markdown = with_definitions(markdown, links, _NO_DEFINITIONS)
        # What `walk.build_entry` does, with what this walk already knows (text, area key).
        return Entry(
            release=self.version,
            area=section.area,
            area_key=section.area_key,
            kind=kind,
            kind_label=label,
            summary=summary,
            markdown=markdown,
            text=text,
            links=tuple(links),
            issues=issues_in(body, links, context.repo),
            line=start + context.line_offset + 1,
            source=context.source,
            doc_kind="changelog",
            cves=tuple(dict.fromkeys(CVE_ID.findall(text))) if "CVE-" in text else (),
            author=authors,
            home_repo=context.repo or "",
        )

    def release(self, format_name: str) -> Release:
        """Build the release from what the walk found."""
        lines = self.context.lines
        parts = [f"{_link_label(url)}: <{url}>" for url in self._heading_links()]
        if self.intro:
            parts.extend(_join(lines, self.intro))
        if self.meta:
            parts.extend(_join(lines, self.meta))
        return Release(
            version=self.version,
            title=self.block.title,
            date=release_date(self.block.title),
            doc_kind="changelog",
            source=self.context.source,
            sections=tuple([_build(section, lines) for section in self.sections]),
            prose="\n\n".join([part for part in parts if part]) if parts else "",
            project=self.context.project,
            format=format_name,
        )

    def _heading_links(self) -> list[str]:
        urls: list[str] = []
        for child in self.block.heading_inline.children or ():
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                url = (
                    href
                    if href.startswith("https://")
                    else resolve_url(href, self.context.base_url)
                )
                if url.startswith(("http://", "https://")) and url not in urls:
                    urls.append(url)
        return urls


def _bare_links(text: str) -> list[Link]:
    """The links of a paragraph that is one run of text: its bare URLs, as `links_of` reads them."""
    if "http" not in text:
        return []
    found: dict[str, Link] = {}
    for match in BARE_URL.finditer(text):
        url = match.group(0).rstrip(".,;:)'\"")
        if url not in found:
            found[url] = Link(url, url)
    return list(found.values())


def _link_label(url: str) -> str:
    return "Compare" if "/compare/" in url else "Release"


def _join(lines: Sequence[str], ranges: Sequence[tuple[int, int]]) -> list[str]:
    return ["\n".join(lines[start:end]).strip("\n") for start, end in ranges]


def _build(draft: _SectionDraft, lines: Sequence[str]) -> Section:
    subsections = draft.subsections
    return Section(
        title=draft.title,
        key=draft.area_key if draft.title == draft.area else _area_key(draft.title),
        entries=tuple(draft.entries),
        subsections=tuple([_build(sub, lines) for sub in subsections]) if subsections else (),
        prose="\n\n".join(_join(lines, draft.prose)).strip() if draft.prose else "",
    )


@lru_cache(maxsize=1024)
def _area_key(title: str) -> str:
    """`model.area_key`, once per title: a changelog repeats its few headings in every release."""
    return area_key(title)


def read_release(
    block: ReleaseBlock, context: ChangelogContext, format_name: str, rule: HeadingRule
) -> Release:
    """Read a release block whose headings are areas or kinds and whose bullets are entries.

    Headings below the release heading become sections. A heading that names a kind
    (`### Fixed`) gives its entries that kind and is their area only when no area heading
    encloses it; metadata headings (`New Contributors`) and `**Full Changelog**:` lines go
    to the release's prose, after any link of the release heading (`Compare: <url>`).
    Top-level bullets are entries: their kind comes from a bold lead that names one
    (`**Breaking Change**`), else from the nearest kind heading, else from their first
    word (`Fix ...`, `[Docs] ...`); trailing references and `by @user` credits are kept
    out of the summary, and the credit becomes the entry's author (`@user`).

    Args:
        block: The release block.
        context: What the file's blocks share.
        format_name: The format's name, recorded in the release.
        rule: How this format classifies headings.

    Returns:
        The release.
    """
    walker = _Walker(block, context, rule)
    walker.walk()
    return walker.release(format_name)
