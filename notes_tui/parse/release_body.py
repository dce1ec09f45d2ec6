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
from notes_tui.parse.changelog import ChangelogContext, ReleaseBlock
from notes_tui.parse.formats import FORMATS_BY_NAME, format_of, infer_repo, project_name
from notes_tui.parse.istio_docs import release_version
from notes_tui.parse.kinds import KIND_VERBS
from notes_tui.parse.markdown import tokenize
from notes_tui.parse.vocabulary import heading_kind

_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_ISTIO_BULLET = re.compile(
    r"^[ \t]*[-*+][ \t]+\*\*(?:" + "|".join(sorted(KIND_VERBS, key=len, reverse=True)) + r")\*\*",
    re.MULTILINE | re.IGNORECASE,
)
"""An Istio entry: a bullet that opens with a bold verb (`- **Added** ...`)."""


def is_release_body(text: str) -> bool:
    """True when a text with no release heading is one release's sections, not an Istio page.

    That is when it has a heading that names a kind (`### Bug Fixes`) or GitHub's
    `What's Changed`, or a `**Full Changelog**` line, and no Istio entry (`- **Fixed** ...`:
    an Istio page without its front matter, whose `## Security` is an area).

    Args:
        text: The document's text.

    Returns:
        Whether to read it with `parse_release_body`.
    """
    if _ISTIO_BULLET.search(text):
        return False
    if "**Full Changelog**" in text:
        return True
    return any(
        heading_kind(title) is not None or title.casefold() == "what's changed"
        for title in _HEADING.findall(text)
    )


def parse_release_body(
    text: str,
    source: str,
    base_url: str = DEFAULT_BASE_URL,
    forced_format: str | None = None,
    repo: str | None = None,
) -> Release:
    """Read a text as one release, named by the version in its file's name, else the name.

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
    forced = None
    if forced_format is not None:
        forced = FORMATS_BY_NAME.get(forced_format)
        if forced is None:
            raise ValueError(f"unknown format {forced_format!r} (see --list-formats)")
    name = release_version(source, {}, "")
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
    repo = repo or infer_repo(text, source)
    if base_url == DEFAULT_BASE_URL and repo:
        base_url = f"https://github.com/{repo}/blob/HEAD"
    context = ChangelogContext(
        source=source, lines=lines, base_url=base_url, repo=repo, project=project_name(source, repo)
    )
    return format_of(block, forced).parse(block, context)
