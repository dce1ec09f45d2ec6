"""What the changelog formats share: block spans, entries built in one step, sections by area."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from markdown_it.token import Token

from notes_tui.links import issue_from_url, make_issue
from notes_tui.model import Entry, IssueRef, Link, Release, Section, area_key
from notes_tui.parse.blocks import (
    CVE_ID,
    EntryDraft,
    item_dedent,
    slice_markdown,
    summarize,
    text_outside_links,
)
from notes_tui.parse.changelog import ChangelogContext, ReleaseBlock
from notes_tui.parse.markdown import links_of, plain_text

_SHORTHAND_TAIL = re.compile(r"(?:^|(?<=[^\w/.#-]))([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)$")
"""`owner/name` just before a `#`, as `links.issues_in_text` reads it."""
_NUMBER = re.compile(r"#([0-9]{1,12})\b")
_BARE_BEFORE = frozenset("/&#")
_SHORTHAND_WINDOW = 200
"""How far before a `#` an `owner/name` may start (GitHub caps both parts well below)."""
_REFERENCE = re.compile(r"\[([^\[\]\n]+)\](?:\[([^\[\]\n]*)\])?")


def spans(tokens: Sequence[Token], start: int, end: int, level: int) -> Iterator[tuple[int, int]]:
    """Find the blocks at one nesting level of a token range, in one pass.

    Args:
        tokens: Block tokens.
        start: The first index to look at.
        end: The index just past the last one.
        level: The nesting level (0 for top-level blocks, 1 for the items of a top-level list).

    Yields:
        `(first, past)` index pairs, one per block (an opening token through its closing one).
    """
    opened = start
    for index in range(start, end):
        token = tokens[index]
        if token.level != level:
            continue
        if token.nesting == 1:
            opened = index
        elif token.nesting == -1:
            yield opened, index + 1
        else:
            yield index, index + 1


def prose_of(lines: Sequence[str], ranges: Iterable[tuple[int, int]]) -> str:
    """Cut Markdown that is no entry out of the source lines.

    Ranges that touch (the items of one list) are cut as one block.

    Args:
        lines: The source lines.
        ranges: `(start, end)` 0-based line ranges, end exclusive, in order.

    Returns:
        The blocks, separated by blank lines.
    """
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return "\n\n".join("\n".join(lines[s:e]).strip("\n") for s, e in merged).strip()


def sections_by_area(entries: Iterable[Entry]) -> tuple[Section, ...]:
    """Group entries into one section per area, areas in order of first appearance.

    The tree finds a section's entries by `area_key`, so each section's key is that of
    its entries.

    Args:
        entries: The entries, in file order.

    Returns:
        The sections.
    """
    grouped: dict[str, list[Entry]] = {}
    titles: dict[str, str] = {}
    for entry in entries:
        grouped.setdefault(entry.area_key, []).append(entry)
        titles.setdefault(entry.area_key, entry.area)
    return tuple(
        Section(title=titles[key], key=key, entries=tuple(group)) for key, group in grouped.items()
    )


def text_issues(text: str, repo: str | None, bare_type: str = "issue") -> list[IssueRef]:
    """Find `owner/name#N`, and bare `#N` of `repo`, the way `links.issues_in_text` does.

    Only the text around each `#` is looked at, so long entries without one cost nothing.

    Args:
        text: Plain text outside links.
        repo: The repository bare `#N` refers to, or None to skip them.
        bare_type: `issue` or `pull`: what a bare number is taken for.

    Returns:
        The references in order of appearance.
    """
    found: list[IssueRef] = []
    for match in _NUMBER.finditer(text):
        position = match.start()
        before = text[position - 1] if position else " "
        number = int(match[1])
        if before.isalnum() or before in "_.-":
            window = max(0, position - _SHORTHAND_WINDOW)
            shorthand = _SHORTHAND_TAIL.search(text, window, position)
            if shorthand is not None:
                found.append(make_issue(f"{shorthand[1]}/{shorthand[2]}", number))
        word = before.isalnum() or before == "_"
        if repo and not word and before not in _BARE_BEFORE:
            found.append(make_issue(repo, number, bare_type))
    return found


def issues_in(
    tokens: Sequence[Token], links: Sequence[Link], repo: str | None, bare_type: str = "issue"
) -> tuple[IssueRef, ...]:
    """Collect an entry's references: its links first, then `#N` in its text outside links.

    Args:
        tokens: The entry's block tokens.
        links: Its links, absolute.
        repo: The repository bare `#N` refers to.
        bare_type: What a bare number is taken for (`issue` or `pull`).

    Returns:
        References without duplicates, in order.
    """
    found = [ref for link in links if (ref := issue_from_url(link.url)) is not None]
    for token in tokens:
        if token.type == "inline" and token.children and "#" in token.content:
            found.extend(text_issues(text_outside_links(token.children), repo, bare_type))
    if len(found) < 2:
        return tuple(found)
    unique: dict[tuple[str, int], IssueRef] = {}
    for ref in found:
        unique.setdefault((ref.repo, ref.number), ref)
    return tuple(unique.values())


def with_definitions(markdown: str, links: Sequence[Link], definitions: Mapping[str, str]) -> str:
    """Append the definitions of the reference links an entry uses, so its Markdown reads alone.

    Args:
        markdown: The entry's Markdown.
        links: Its links (resolved by the whole-file parse).
        definitions: The block's definitions, labels case-folded with white space folded.

    Returns:
        The Markdown, with `[label]: url` lines after it when it uses references.
    """
    if "[" not in markdown:
        return markdown
    added: dict[str, str] = {}
    by_label = {" ".join(link.label.split()).casefold(): link.url for link in links}
    for match in _REFERENCE.finditer(markdown):
        label = match[2] or match[1]
        key = " ".join(label.split()).casefold()
        url = definitions.get(key)
        if url is None and not match[2]:
            # Defined elsewhere in the file: a shortcut reference's text is its label (`[#1]`).
            url = by_label.get(key)
        if url is not None and url not in markdown:
            added.setdefault(label, url)
    if not added:
        return markdown
    return markdown + "\n\n" + "\n".join(f"[{label}]: {url}" for label, url in added.items())


@functools.cache
def _area_key(area: str) -> str:
    """`model.area_key`, once per area title: a changelog repeats a few dozen areas."""
    return area_key(area)


def build_entry(
    draft: EntryDraft,
    ctx: ChangelogContext,
    *,
    release: str,
    area: str,
    summary: str,
    text: str | None = None,
    areas: tuple[str, ...] = (),
    author: str = "",
    bare_type: str = "issue",
    definitions: Mapping[str, str] | None = None,
) -> Entry:
    """Turn a draft into a frozen entry, every field at once.

    What `blocks.finish_entry` does, plus the fields changelog formats set (areas,
    author), without copying the entry afterwards: formats build thousands of entries.

    Args:
        draft: The assembled draft; its ranges index `ctx.lines`.
        ctx: What the file's blocks share (lines, source, base URL, repository).
        release: The release version.
        area: The area title.
        summary: The summary's source text (`summarize` makes it one line).
        text: The entry's plain text, when the caller has already made it.
        areas: Every area, when the entry names several.
        author: Who wrote the change (`@user`), when the notes say.
        bare_type: What a bare `#N` of `ctx.repo` is taken for (`issue` or `pull`).
        definitions: Reference definitions to append to the Markdown (`with_definitions`).

    Returns:
        The entry.
    """
    ranges = draft.ranges
    if len(ranges) == 1 and ranges[0][1] - ranges[0][0] == 1 and ranges[0][2]:
        # A one-line item (most changelog entries): what `slice_markdown` gives, quicker.
        markdown = item_dedent(ctx.lines[ranges[0][0]])[0].strip("\n")
        markdown = markdown if markdown.strip() else ""
    else:
        markdown = slice_markdown(ctx.lines, ranges)
    if text is None:
        text = plain_text(draft.tokens)
    links = links_of(draft.tokens, ctx.base_url)
    if definitions is not None:
        markdown = with_definitions(markdown, links, definitions)
    cves = tuple(dict.fromkeys(CVE_ID.findall(text))) if "CVE-" in text else ()
    return Entry(
        release=release,
        area=area,
        area_key=_area_key(area),
        kind=draft.kind,
        kind_label=draft.kind_label,
        summary=summarize(summary),
        markdown=markdown,
        text=text,
        links=tuple(links),
        issues=issues_in(draft.tokens, links, ctx.repo, bare_type),
        line=draft.start + ctx.line_offset + 1,
        source=ctx.source,
        doc_kind="changelog",
        cves=cves,
        areas=areas,
        author=author,
        home_repo=ctx.repo or "",
    )


def walked_release(
    block: ReleaseBlock,
    ctx: ChangelogContext,
    *,
    version: str,
    entries: Sequence[Entry],
    prose: Sequence[tuple[int, int]],
    format_name: str,
    date: str | None = None,
    project: str = "",
) -> Release:
    """The release a format's walk over one block found: its entries grouped by area.

    Args:
        block: The release block.
        ctx: What the file's blocks share.
        version: The version as written.
        entries: The entries, in file order.
        prose: Line ranges of the block's prose.
        format_name: The format that read it.
        date: The ISO date, when the heading gives one.
        project: The project when the format knows it better than the file does.

    Returns:
        The release.
    """
    return Release(
        version=version,
        title=block.title,
        date=date,
        doc_kind="changelog",
        source=ctx.source,
        sections=sections_by_area(entries),
        prose=prose_of(ctx.lines, prose),
        project=ctx.project or project or ctx.repo or "",
        format=format_name,
    )
