"""One bullet of a sectioned release read as an entry: its kind, summary, credit and links."""

from __future__ import annotations

import re

from markdown_it.token import Token

from notes_tui.model import Entry, Link
from notes_tui.parse.blocks import CVE_ID, SENTENCE_CUT, item_dedent, slice_markdown, summarize
from notes_tui.parse.changelog import ChangelogContext
from notes_tui.parse.credits import bold_kind, credit_and_summary, marked_text, unmarked
from notes_tui.parse.headings import HeadingRole
from notes_tui.parse.kinds import OTHER
from notes_tui.parse.markdown import BARE_URL, links_of, plain_text
from notes_tui.parse.sectioned_release import SectionDraft
from notes_tui.parse.vocabulary import word_kind
from notes_tui.parse.walk import issues_in, with_definitions

_REFERENCE_USE = re.compile(r"\](?![(:])")
"""A `]` that closes a reference link (`[#136]`, `[text][label]`), not an inline one."""
_NO_DEFINITIONS: dict[str, str] = {}
"""Reference definitions are not kept per block: `with_definitions` finds them by the links."""


def item_entry(
    body: list[Token],
    item_map: list[int],
    inline: Token,
    section: SectionDraft,
    heading: HeadingRole | None,
    version: str,
    context: ChangelogContext,
) -> Entry:
    """Build the entry of one top-level list item.

    Its kind comes from a bold lead that names one (`**Breaking Change**`) or a breaking
    conventional commit (`feat!:`), else from the nearest kind heading, else from its first
    word; trailing references and `by @user` credits are kept out of the summary, and the
    credit becomes the entry's author.

    Args:
        body: The item's tokens, less its own opening and closing tokens.
        item_map: The item's `[start, end)` lines in `context.lines`.
        inline: The item's first inline token, its inline Markdown already parsed.
        section: The section the item is in.
        heading: The nearest enclosing kind heading, if any.
        version: The release's version.
        context: What the file's blocks share.

    Returns:
        The entry.
    """
    children = inline.children or []
    marked = marked_text(children)
    if "@" in marked or "http" in marked or "\x03" in marked:
        summary, authors = credit_and_summary(marked)
    else:
        summary, authors = marked, ""  # nothing to trim
    lead = bold_kind(children)
    if lead is None and "!:" in summary[:40]:
        # `feat!: ...` under `### Features`: the commit says it breaks, more than its heading.
        found = word_kind(summary)
        lead = found if found is not None and found[0] == "Breaking" else None
    if lead is not None:
        # `**Breaking Change**, ...` under `### Changes`: the entry says more than its heading.
        kind, label = lead
    elif heading is not None and heading.kind:
        kind, label = heading.kind, heading.label
    else:
        kind, label = word_kind(summary) or (OTHER, "")
        if kind == OTHER and heading is not None:
            label = heading.label
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
        release=version,
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
