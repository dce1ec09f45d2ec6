"""A release's text alone, with no heading that names it: one release, in its own format.

A GitHub release's body (`gh release view ... --json body`), or a file per release
(`v3.1.0.md`), holds the sections of one release (`### Features`, `## What's Changed`)
under no version heading. Read as an Istio page, its kinds were lost and its `#N` linked
to Istio's issues; it is read as one release block of the changelog formats instead.
"""

from __future__ import annotations

import re

from markdown_it.token import Token

from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.model import Release
from notes_tui.parse.changelog import VERSION_TOKEN, ReleaseBlock
from notes_tui.parse.formats import changelog_context, format_of, named_format
from notes_tui.parse.istio_docs import release_version
from notes_tui.parse.kinds import KIND_VERBS
from notes_tui.parse.markdown import tokenize
from notes_tui.parse.vocabulary import heading_kind

_HEADING = re.compile(r"^#{1,6}[ \t]+(.*)$", re.MULTILINE)
_LABEL_LINE = re.compile(r"^[*_]{1,3}([^*_\n]{1,40}?):?[*_]{1,3}:?[ \t]*$", re.MULTILINE)
"""A label paragraph's line (`**Added**`, `*Bug fixes:*`)."""
_ISTIO_BULLET = re.compile(
    r"^[ \t]*[-*+][ \t]+(?:\*{2,3}|_{2,3})(?:"
    + "|".join(sorted(KIND_VERBS, key=len, reverse=True))
    + r")(?:\*{2,3}|_{2,3})",
    re.MULTILINE | re.IGNORECASE,
)
"""An Istio entry: a bullet that opens with a bold verb (`- **Added** ...`, `- ***Added***`)."""
_COMPARED = re.compile(r"/compare/[^\s)]+?\.\.\.?([^\s)/]+)")
"""The newer end of a compare link (`.../compare/v2.2.0...v2.3.0`)."""
_GITHUB_MARKERS = re.compile(r"^\*\*Full Changelog\*\*|^#{1,6}[ \t]+What'?s Changed", re.M | re.I)
"""What only GitHub's generated release notes write."""


def is_release_body(text: str) -> bool:
    """True when a text with no release heading is one release's sections, not an Istio page.

    That is when it has GitHub's markers (`## What's Changed`, `**Full Changelog**`), or
    else a heading or a label paragraph that names a kind (`### Bug Fixes`, `**Added**`)
    and nothing of Istio's: no Istio entry (`- **Fixed** ...`), no Hugo shortcode, no
    mention of Istio (its pages without their front matter: `## Security updates` there is
    an area).

    Args:
        text: The document's text.

    Returns:
        Whether to read it with `parse_release_body`.
    """
    if _GITHUB_MARKERS.search(text):
        return True
    if _ISTIO_BULLET.search(text) or "{{<" in text or "istio" in text.casefold():
        return False
    titles = [title.rstrip(" \t#") for title in _HEADING.findall(text)]
    titles += _LABEL_LINE.findall(text)
    return any(heading_kind(title) is not None for title in titles)


def parse_release_body(
    text: str,
    source: str,
    base_url: str = DEFAULT_BASE_URL,
    forced_format: str | None = None,
    repo: str | None = None,
) -> Release:
    """Read a text as one release, named by the version in its file's name, else by its
    compare link's newer end, else by the file's name.

    Args:
        text: The document's text.
        source: Its path (or `-`).
        base_url: Base for relative links.
        forced_format: A changelog format's name (`--format`) instead of detection.
        repo: `owner/name` for bare `#N`; inferred from the text's links when not given.

    Returns:
        The release.

    Raises:
        ValueError: When `forced_format` names no changelog format.
    """
    forced = named_format(forced_format)
    name = release_version(source, {}, "")
    if VERSION_TOKEN.search(name) is None:
        # Standard input, or a file not named after its version: GitHub's compare link
        # (`**Full Changelog**: .../compare/v2.2.0...v2.3.0`) names the release.
        compared = _COMPARED.search(text)
        if compared is not None and VERSION_TOKEN.fullmatch(compared[1]):
            name = compared[1]
    heading = Token("inline", "", 0, content=name, children=[Token("text", "", 0, content=name)])
    lines = text.split("\n")
    block = ReleaseBlock(
        title=name,
        level=1,
        heading_line=0,
        end_line=len(lines),
        heading_inline=heading,
        tokens=tokenize(text),
    )
    context = changelog_context(text, source, base_url, repo, lines)
    return format_of(block, forced).parse(block, context)
