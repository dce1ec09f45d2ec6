"""Turning token ranges into entries: markdown slices, summaries, kinds, links, issues."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from notes_tui.links import issue_from_url, issues_in_text
from notes_tui.model import Entry, IssueRef, Link, area_key
from notes_tui.parse.kinds import OTHER, kind_of
from notes_tui.parse.markdown import fold_whitespace, inline_text, links_of, plain_text

CVE_ID = re.compile(r"\bCVE-\d{4}-\d{4,}\b")
"""A CVE identifier."""

_TRAILING_REFS = re.compile(
    r"(?:[\s,]*\(\s*(?:(?:issue|pr|pull request|pull)\s*)?#?\s*\d+\s*\))+\s*$", re.I
)
_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space>[ \t]*)")
SUMMARY_LIMIT = 200
"""The longest summary, in characters, before it is cut with an ellipsis."""
SENTENCE_CUT = 120
"""A summary longer than this ends at its first sentence."""
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z`\"(])")


@dataclass
class EntryDraft:
    """An entry being assembled from a list item and the blocks that continue it."""

    tokens: list[Token]
    """Every block token of the entry."""
    ranges: list[tuple[int, int, int]]
    """Source line ranges `(start, end, dedent)`, 0-based, end exclusive."""
    kind: str
    """The normalised kind."""
    kind_label: str
    """The kind as written."""
    summary_source: list[Token] = field(default_factory=list)
    """The inline token the summary is taken from."""
    summary_override: str | None = None
    """A summary given outright (a heading, a description)."""
    opens_bold: bool = False
    """True when the entry opens with a bold or italic lead (`**Added**`)."""

    @property
    def start(self) -> int:
        """The first source line (0-based)."""
        return self.ranges[0][0]


def leading_kind(inline: Token | None) -> tuple[str, str, bool]:
    """Find the kind an item's first paragraph opens with.

    A leading strong (`**Added**`, `***Added***`, `__Added__`) holding one known verb
    names the kind; so does a known verb as the plain first word.

    Args:
        inline: The inline token of the item's first paragraph.

    Returns:
        `(kind, label, opens_with_strong)`; kind is `Other` and label empty when
        the item names no kind.
    """
    if inline is None or not inline.children:
        return OTHER, "", False
    children = inline.children
    first = next((c for c in children if not (c.type == "text" and not c.content.strip())), None)
    if first is not None and first.type in {"strong_open", "em_open"}:
        depth = 0
        words: list[str] = []
        for child in children:
            if child.type in {"strong_open", "em_open"}:
                depth += 1
            elif child.type in {"strong_close", "em_close"}:
                depth -= 1
                if depth == 0:
                    break
            elif child.type in {"text", "code_inline"}:
                words.append(child.content)
        label = fold_whitespace("".join(words))
        kind = kind_of(label) if " " not in label else None
        if kind is None and CVE_ID.fullmatch(label.strip(":")):
            return "Security", label, True
        return (kind, label.strip(":."), True) if kind else (OTHER, "", True)
    text = inline_text(children).lstrip()
    word = text.split(" ", 1)[0] if text else ""
    kind = kind_of(word) if word[:1].isupper() else None
    return (kind, word.strip(":.,"), False) if kind else (OTHER, "", False)


def first_inline(tokens: Sequence[Token]) -> Token | None:
    """Return the first inline token of a block range, if any."""
    return next((t for t in tokens if t.type == "inline"), None)


def item_dedent(line: str) -> tuple[str, int]:
    """Strip a list marker from an item's first line.

    Args:
        line: The source line that opens the item.

    Returns:
        The line without its marker, and the item's content indent.
    """
    match = _MARKER.match(line)
    if match is None:
        return line, 0
    return line[match.end() :], match.end()


def slice_markdown(lines: Sequence[str], ranges: Sequence[tuple[int, int, int]]) -> str:
    """Cut an entry's Markdown out of the source lines.

    The first range is a list item: its marker goes, and its lines lose the item's
    indent. Later ranges (continuation blocks) are kept as written.

    Args:
        lines: The source lines.
        ranges: `(start, end, dedent)` line ranges.

    Returns:
        The Markdown, blocks separated by blank lines.
    """
    chunks: list[str] = []
    for index, (start, end, dedent) in enumerate(ranges):
        part = list(lines[start:end])
        if not part:
            continue
        if index == 0 and dedent:
            part[0], width = item_dedent(part[0])
            if len(part) > 1:
                # Continuation lines lose up to the item's indent in leading spaces.
                indent = " " * width
                part[1:] = [
                    text[width:] if text.startswith(indent) else text.lstrip(" ")
                    for text in part[1:]
                ]
        chunks.append("\n".join(part).strip("\n"))
    if len(chunks) == 1:
        return chunks[0] if chunks[0].strip() else ""  # one list item: most entries
    return "\n\n".join(chunk for chunk in chunks if chunk.strip())


def summarize(text: str) -> str:
    """Make a one-line summary from an entry's opening text.

    Args:
        text: Plain text of the first paragraph.

    Returns:
        The text on one line, trailing `(Issue #N)` references dropped, cut to
        `SUMMARY_LIMIT` characters.
    """
    text = fold_whitespace(text)
    if text.endswith(")"):
        text = _TRAILING_REFS.sub("", text).rstrip(" ,")
    if len(text) > SENTENCE_CUT:
        end = _SENTENCE_END.search(text, 30)
        if end is not None and end.start() < SUMMARY_LIMIT:
            text = text[: end.start() + 1]
    if len(text) > SUMMARY_LIMIT:
        text = text[: SUMMARY_LIMIT - 1].rstrip() + "…"
    return text


def issues_of(
    tokens: Sequence[Token], links: Sequence[Link], default_repo: str | None
) -> list[IssueRef]:
    """Collect issue references from links, then from `owner/repo#N` text.

    Args:
        tokens: The entry's block tokens.
        links: Its links, already absolute.
        default_repo: Repository bare `#N` refers to, when known.

    Returns:
        References without duplicates, in order.
    """
    found: list[IssueRef] = []
    for link in links:
        ref = issue_from_url(link.url)
        if ref is not None:
            found.append(ref)
    for token in tokens:
        # Both the shorthand and a bare number need a `#`: most entries have none.
        if token.type == "inline" and token.children and "#" in token.content:
            found.extend(issues_in_text(text_outside_links(token.children), default_repo))
    unique: dict[tuple[str, int], IssueRef] = {}
    for ref in found:
        unique.setdefault((ref.repo, ref.number), ref)
    return list(unique.values())


def text_outside_links(children: Sequence[Token]) -> str:
    """Join the text of inline tokens that are not inside a link (labels say nothing)."""
    depth = 0
    parts: list[str] = []
    for child in children:
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth = max(0, depth - 1)
        elif child.type == "text" and depth == 0:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
    return "".join(parts)


def _text_beyond(tokens: Sequence[Token], summary_source: Sequence[Token]) -> bool:
    """True when `plain_text(tokens)` says more than `plain_text(summary_source)`.

    That is, when blocks other than the summary's carry text.
    """
    texts = [token for token in tokens if token.type in {"inline", "fence", "code_block"}]
    return len(texts) != len(summary_source) or any(
        token is not source for token, source in zip(texts, summary_source, strict=True)
    )


def finish_entry(
    draft: EntryDraft,
    *,
    lines: Sequence[str],
    line_offset: int,
    release: str,
    area: str,
    source: str,
    doc_kind: str,
    base_url: str,
    default_repo: str | None = None,
    extra_cves: Sequence[str] = (),
) -> Entry:
    """Turn a draft into a frozen entry.

    Args:
        draft: The assembled draft.
        lines: Source lines the draft's ranges index.
        line_offset: Lines before `lines` in the file (front matter).
        release: The release version.
        area: The area title.
        source: The file path.
        doc_kind: The document kind.
        base_url: Base for relative links.
        default_repo: Repository for bare `#N`.
        extra_cves: CVE ids to attach beside those in the text.

    Returns:
        The entry.
    """
    markdown = slice_markdown(lines, draft.ranges)
    text = plain_text(draft.tokens)
    links = links_of(draft.tokens, base_url)
    issues = issues_of(draft.tokens, links, default_repo)
    if draft.summary_override is not None:
        summary = summarize(draft.summary_override)
    elif draft.summary_source and _text_beyond(draft.tokens, draft.summary_source):
        summary = summarize(plain_text(draft.summary_source))
    else:
        # The summary's paragraph is all the entry's text: no second copy of a text that
        # may be megabytes long.
        summary = summarize(text)
    cves = dict.fromkeys([*CVE_ID.findall(text), *extra_cves])
    return Entry(
        release=release,
        area=area,
        area_key=area_key(area),
        kind=draft.kind,
        kind_label=draft.kind_label,
        summary=summary,
        markdown=markdown,
        text=text,
        links=tuple(links),
        issues=tuple(issues),
        line=draft.start + line_offset + 1,
        source=source,
        doc_kind=doc_kind,
        cves=tuple(cves),
        home_repo=default_repo or "",
    )
