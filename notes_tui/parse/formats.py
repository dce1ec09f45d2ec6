"""The changelog formats, most specific first, and reading a changelog file block by block."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from itertools import chain
from pathlib import PurePath
from typing import Any

from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.model import Release
from notes_tui.parse import (
    blockwise,
    generic,
    github,
    keepachangelog,
    kubernetes,
    linkerd,
    prometheus,
    towncrier,
)
from notes_tui.parse.changelog import (
    ChangelogContext,
    ChangelogFormat,
    ReleaseBlock,
    split_releases,
)
from notes_tui.parse.deferred import parse_deferred, tokenize_deferred
from notes_tui.parse.markdown import tokenize

ISTIO = "istio"
"""The name `--format` gives Istio's release-notes pages (read whole, not as a changelog)."""

ISTIO_DESCRIPTION = "Istio release notes pages: YAML front matter, ## Area, - **Kind** entries"
"""How `--list-formats` describes them."""

FORMATS: tuple[ChangelogFormat, ...] = (
    # One project's release-notes tool each: the most specific.
    kubernetes.FORMAT,
    prometheus.FORMAT,
    linkerd.FORMAT,
    # Tools and conventions many projects share, then the fallback.
    github.FORMAT,
    keepachangelog.FORMAT,
    towncrier.FORMAT,
    generic.FORMAT,
)
"""Every changelog format, in detection order: the first whose `detect` is True reads a block."""

FORMATS_BY_NAME: dict[str, ChangelogFormat] = {fmt.name: fmt for fmt in FORMATS}
"""The formats by name."""

_ANY_REPO_URL = re.compile(r"https?://(?:www\.)?github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_-]+)")
_REPO_URL = re.compile(
    r"https?://(?:www\.)?github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)/(?:compare|issues|pull)/"
)


def list_formats() -> list[tuple[str, str]]:
    """Name and describe every format `--format` accepts, Istio's pages included.

    Returns:
        `(name, description)` pairs, in detection order, `istio` first.
    """
    return [(ISTIO, ISTIO_DESCRIPTION), *((fmt.name, fmt.description) for fmt in FORMATS)]


def format_names() -> list[str]:
    """The names `--format` accepts."""
    return [name for name, _ in list_formats()]


def infer_repo(text: str, source: str = "") -> str | None:
    """Find the repository a changelog is about, from its compare, issue and pull URLs.

    The most common `github.com/owner/name` wins when it appears at least twice and more
    often than any other. Weaker evidence (a few repositories linked once each, as in a
    changelog that mostly writes bare `#N`) only counts for a repository named like the
    file's folder (`prometheus/CHANGELOG.md` and a link to `prometheus/prometheus`).

    Args:
        text: The file's text.
        source: The file's path, whose folder name breaks weak ties.

    Returns:
        `owner/name`, or None when the links do not say.
    """
    if "github.com" not in text:
        return None
    counts = Counter(f"{owner}/{name}" for owner, name in _REPO_URL.findall(text))
    ranked = counts.most_common(2)
    if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ranked[0][0]
    folder = PurePath(source).parent.name.casefold() if source not in {"", "-"} else ""
    linked = {f"{owner}/{name}" for owner, name in _ANY_REPO_URL.findall(text)}
    named = sorted(repo for repo in linked if folder and repo.split("/")[1].casefold() == folder)
    if len(named) == 1:
        return named[0]
    return ranked[0][0] if len(counts) == 1 else None


def project_name(source: str, repo: str | None) -> str:
    """The project a file is about: its repository, else its folder's name (empty for stdin)."""
    if repo:
        return repo
    if source == "-":
        return ""
    return PurePath(source).parent.name


def parse_changelog(
    text: str,
    source: str,
    base_url: str = DEFAULT_BASE_URL,
    forced_format: str | None = None,
    repo: str | None = None,
    block_by_block: bool | None = None,
) -> list[Release]:
    """Read a changelog file: one release per release heading, each in its own format.

    Args:
        text: The file's text.
        source: Its path (or `-`).
        base_url: Base for relative links; with Istio's default, a file whose
            repository is known resolves them against the repository on GitHub.
        forced_format: A format name that reads every block, instead of detection.
        repo: `owner/name` that bare `#N` refers to; inferred from the file's links
            when not given.
        block_by_block: Tokenise each release block alone (`blockwise`), which bounds
            memory by the largest block; by default, for texts over `blockwise.LARGE_TEXT`.
            The releases are the same either way.

    Returns:
        The releases, in file order; empty when no heading names a release.

    Raises:
        ValueError: When `forced_format` names no changelog format.
    """
    forced = named_format(forced_format)
    if block_by_block is None:
        block_by_block = len(text) > blockwise.LARGE_TEXT
    blocks = _blocks_one_by_one(text, forced) if block_by_block else _blocks_at_once(text, forced)
    if blocks is None:
        return []
    context = changelog_context(text, source, base_url, repo)
    releases: list[Release] = []
    lines: Sequence[str] | None = None
    for line_offset, block_lines, block, fmt in blocks:
        if block_lines is not lines:
            lines = block_lines
            context = replace(context, lines=lines, line_offset=line_offset)
        releases.append(fmt.parse(block, context))
        # Let go of the block before the next is made: its tokens are freed as reading goes
        # on, and fewer live objects are left for the garbage collector to walk.
        del block
    return releases


def named_format(name: str | None) -> ChangelogFormat | None:
    """The changelog format `--format` names, or None without one.

    Args:
        name: The format's name, or None.

    Returns:
        The format, or None.

    Raises:
        ValueError: When `name` names no changelog format.
    """
    if name is None:
        return None
    found = FORMATS_BY_NAME.get(name)
    if found is None:
        raise ValueError(f"unknown format {name!r} (see --list-formats)")
    return found


def changelog_context(
    text: str, source: str, base_url: str, repo: str | None, lines: Sequence[str] = ()
) -> ChangelogContext:
    """What a file's release blocks share.

    Args:
        text: The file's text.
        source: Its path (or `-`).
        base_url: Base for relative links; with the default, a file whose repository is
            known resolves them against the repository on GitHub.
        repo: `owner/name` (`--repo`); inferred from the file's links when not given.
        lines: The lines its token maps index.

    Returns:
        The context.
    """
    repo = repo or infer_repo(text, source)
    if base_url == DEFAULT_BASE_URL and repo:
        base_url = f"https://github.com/{repo}/blob/HEAD"
    project = project_name(source, repo)
    return ChangelogContext(
        source=source, lines=lines, base_url=base_url, repo=repo, project=project
    )


_Blocks = Iterator[tuple[int, Sequence[str], ReleaseBlock, ChangelogFormat]]
"""`(lines before the block, the lines its token maps index, the block, its format)`, in file
order. Inline tokens are parsed but for those a format that `parses_inline` reads itself."""


def format_of(block: ReleaseBlock, forced: ChangelogFormat | None) -> ChangelogFormat:
    """The forced format, else the first that detects the block.

    Args:
        block: A release block.
        forced: The format `--format` names, if any.

    Returns:
        The format to read the block with.
    """
    if forced is not None:
        return forced
    for fmt in FORMATS:
        if fmt.detect(block):
            return fmt
    return generic.FORMAT


def _blocks_at_once(text: str, forced: ChangelogFormat | None) -> _Blocks | None:
    """Tokenise the whole text, then split it into release blocks; None when there are none."""
    lines = text.split("\n")
    # Inline Markdown is parsed as the formats read it: the preamble and prose never are.
    env: dict[str, Any] = {}
    _, blocks = split_releases(tokenize_deferred(text, env), len(lines), env)
    if not blocks:
        return None
    work = [(block, format_of(block, forced)) for block in blocks]
    del blocks
    # Blocks whose format reads all of them, in one go: quicker than block by block.
    parse_deferred(
        chain.from_iterable(block.tokens for block, fmt in work if not fmt.parses_inline), env
    )
    work.reverse()

    def one_by_one() -> _Blocks:
        while work:
            yield 0, lines, *work.pop()

    return one_by_one()


def _blocks_one_by_one(text: str, forced: ChangelogFormat | None) -> _Blocks | None:
    """Tokenise each release block alone (`blockwise`); None when there are none."""
    starts = blockwise.find_release_starts(text)
    if starts is None:
        return None
    return (
        (line, lines, block, format_of(block, forced))
        for line, lines, block in blockwise.release_blocks(text, starts)
    )


def detected_formats(text: str) -> list[tuple[str, str]]:
    """Tell which format each release block of a changelog is read as.

    Args:
        text: The file's text.

    Returns:
        `(release heading, format name)` for each block, in file order.
    """
    lines = text.split("\n")
    _, blocks = split_releases(tokenize(text), len(lines))
    return [(block.title, next(f for f in FORMATS if f.detect(block)).name) for block in blocks]
