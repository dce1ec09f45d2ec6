"""Parsers: markdown-it-py token streams turned into releases, one module per format family."""

from __future__ import annotations

import re

from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.model import Release
from notes_tui.parse.formats import ISTIO, parse_changelog
from notes_tui.parse.front_matter import split_front_matter
from notes_tui.parse.istio import parse_istio
from notes_tui.parse.release_body import is_release_body, parse_release_body

PARSER_VERSION = "26"
"""Bumped whenever parsing changes what it produces (it keys the cache)."""


_FIRST_KEY = re.compile(r"[ \t]*(?:[\w\"'][^:\n]*:(?:[ \t]|$)|(?:---|\.\.\.)[ \t]*$)", re.MULTILINE)
"""Front matter's first line: a mapping's key (`title: ...`), or its end (empty)."""


def has_front_matter(text: str) -> bool:
    """True when a document opens with YAML front matter (`---` lines around it), as Istio's do.

    Its first line that is not blank must be a mapping's key: a changelog that opens with a
    rule (`---`, then `## 1.2.0`) has none.
    """
    if not text.startswith("---"):
        return False
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].rstrip() != "---":
        return False
    # `find` from an offset: no copy of a file that may be megabytes long.
    if text.find("\n---", first_end) < 0 and text.find("\n...", first_end) < 0:
        return False
    start = first_end + 1
    while text.startswith("\n", start) or text.startswith("\r", start):
        start += 1
    return _FIRST_KEY.match(text, start) is not None


def parse_text(
    text: str,
    source: str,
    base_url: str = DEFAULT_BASE_URL,
    *,
    forced_format: str | None = None,
    repo: str | None = None,
) -> list[Release]:
    """Parse one document of release notes.

    A page with YAML front matter, or one without a heading that names a release, is an
    Istio page (one release); any other file is a changelog, read release by release in
    the format each release block is written in. A page with front matter whose headings
    open with versions (`## [1.2.0]`, a documentation site's changelog) is a changelog. A
    text with no release heading that holds one release's sections (`### Bug Fixes`, a
    GitHub release's body: `release_body`), or read with `--format`, is one release.

    Args:
        text: The document's text.
        source: Where it came from (a path, or `-`).
        base_url: Base for relative links.
        forced_format: A format name (`--format`) instead of detection; `istio` reads
            the document as one Istio page.
        repo: `owner/name` for bare `#N` references (`--repo`); inferred when not given.

    Returns:
        The releases the document holds.

    Raises:
        ValueError: When `forced_format` names no format.
    """
    if "\r" in text:
        # Token maps count lines as markdown-it does, where a lone CR ends a line too.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if forced_format == ISTIO:
        return [_istio(text, source, base_url, repo)]
    if forced_format is None and has_front_matter(text):
        if _RELEASE_HEADING_LINE.search(text) is None:
            return [_istio(text, source, base_url, repo)]
        # A changelog with front matter (a page of a documentation site): its releases,
        # the front matter's lines left blank (the entries' lines stay those of the file).
        split = split_front_matter(text)
        text = "\n" * split.body_line + split.body
    releases = parse_changelog(text, source, base_url, forced_format=forced_format, repo=repo)
    if releases:
        return releases
    if forced_format is not None or is_release_body(text):
        return [parse_release_body(text, source, base_url, forced_format, repo)]
    return [_istio(text, source, base_url, repo)]


_RELEASE_HEADING_LINE = re.compile(r"^#{1,3}[ \t]+\[?v?\d+\.\d+", re.MULTILINE)
"""A heading that opens with a version (`## [1.2.0] - 2024-02-01`): no page of Istio's has one."""


def _istio(text: str, source: str, base_url: str, repo: str | None) -> Release:
    if repo:
        return parse_istio(text, source, base_url, default_repo=repo)
    return parse_istio(text, source, base_url)
