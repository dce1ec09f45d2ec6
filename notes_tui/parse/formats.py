"""The changelog formats, most specific first, and reading a changelog file block by block."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath

from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.model import Release
from notes_tui.parse import generic, github, keepachangelog, towncrier
from notes_tui.parse.changelog import ChangelogContext, ChangelogFormat, split_releases
from notes_tui.parse.markdown import tokenize

ISTIO = "istio"
"""The name `--format` gives Istio's release-notes pages (read whole, not as a changelog)."""

ISTIO_DESCRIPTION = "Istio release notes pages: YAML front matter, ## Area, - **Kind** entries"
"""How `--list-formats` describes them."""


def _project_formats() -> list[ChangelogFormat]:
    """The formats of single projects' release-notes tools, when their modules are present."""
    found: list[ChangelogFormat] = []
    try:
        from notes_tui.parse import kubernetes, linkerd, prometheus
    except ImportError:  # written beside this module; absent until they land
        return found
    found.extend([kubernetes.FORMAT, prometheus.FORMAT, linkerd.FORMAT])
    return found


FORMATS: tuple[ChangelogFormat, ...] = (
    *_project_formats(),
    github.FORMAT,
    keepachangelog.FORMAT,
    towncrier.FORMAT,
    generic.FORMAT,
)
"""Every changelog format, in detection order: the first whose `detect` is True reads a block."""

FORMATS_BY_NAME: dict[str, ChangelogFormat] = {fmt.name: fmt for fmt in FORMATS}
"""The formats by name."""

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


def infer_repo(text: str) -> str | None:
    """Find the repository a changelog is about: the most common `github.com/owner/name`
    among its compare, issue and pull-request URLs.

    Args:
        text: The file's text.

    Returns:
        `owner/name`, or None when the file has no such URL.
    """
    if "github.com" not in text:
        return None
    counts = Counter(f"{owner}/{name}" for owner, name in _REPO_URL.findall(text))
    return counts.most_common(1)[0][0] if counts else None


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

    Returns:
        The releases, in file order; empty when no heading names a release.

    Raises:
        ValueError: When `forced_format` names no changelog format.
    """
    forced = None
    if forced_format is not None:
        forced = FORMATS_BY_NAME.get(forced_format)
        if forced is None:
            raise ValueError(f"unknown format {forced_format!r} (see --list-formats)")
    lines = text.split("\n")
    _, blocks = split_releases(tokenize(text), len(lines))
    if not blocks:
        return []
    repo = repo or infer_repo(text)
    if base_url == DEFAULT_BASE_URL and repo:
        base_url = f"https://github.com/{repo}/blob/HEAD"
    context = ChangelogContext(
        source=source,
        lines=lines,
        base_url=base_url,
        repo=repo,
        project=project_name(source, repo),
    )
    releases: list[Release] = []
    for block in blocks:
        fmt = forced or next(f for f in FORMATS if f.detect(block))
        releases.append(fmt.parse(block, context))
    return releases


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
