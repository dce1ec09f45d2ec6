"""`load`: paths, folders and standard input turned into releases, and warnings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from notes_tui.inputs import LoadError
from notes_tui.links import DEFAULT_BASE_URL
from notes_tui.model import Release
from notes_tui.reading import EMPTY_FILE, STDIN, STDIN_LABEL, ReadOptions, read_target
from notes_tui.targets import plan_targets


@dataclass
class LoadResult:
    """What a load produced: releases, and warnings about what could not be read."""

    releases: list[Release] = field(default_factory=list)
    """Every release read, in input order."""
    warnings: list[str] = field(default_factory=list)
    """One line per problem that did not stop the load."""


def load(
    paths: Sequence[str],
    *,
    base_url: str = DEFAULT_BASE_URL,
    stdin: BinaryIO | None = None,
    on_release: Callable[[Release], None] | None = None,
    use_cache: bool = False,
    forced_format: str | None = None,
    repo: str | None = None,
) -> LoadResult:
    """Load release notes from files, folders and standard input.

    A file that cannot be read is a warning when others were read; when nothing at
    all could be read the first problem is raised.

    Args:
        paths: Files, folders or `-`; empty for the bundled notes.
        base_url: Base for relative links.
        stdin: Where `-` reads from (standard input by default).
        on_release: Called with each release as soon as it is parsed.
        use_cache: Use the parse cache (see `notes_tui.cache`).
        forced_format: Read every file in this format (`--format`) instead of detecting it.
        repo: `owner/name` that bare `#N` refers to (`--repo`), instead of inferring it.

    Returns:
        The releases and warnings.

    Raises:
        LoadError: When nothing could be read.
    """
    # Imported here: the command line imports this module before the app starts, and the
    # app's loader imports `parallel` (some 10 ms) in its own thread, off the first frame's path.
    from notes_tui.parallel import CachedReads

    result = LoadResult()
    errors: list[str] = []
    targets = plan_targets(paths, result.warnings)
    options = ReadOptions(base_url, use_cache, forced_format, repo)
    reads = CachedReads(read_target, targets, options, stdin=stdin)
    for read in reads:
        if read.error is not None:
            errors.append(read.error)
            continue
        result.warnings.extend(read.warnings)
        for release in read.releases:
            result.releases.append(release)
            if on_release is not None:
                on_release(release)
    reads.save()  # The cache's pack, for the next load of these files (`notes_tui.pack`).
    if errors and not result.releases:
        raise LoadError(errors[0])
    result.warnings.extend(errors)
    result.warnings.extend(no_entries_warning(result.releases, result.warnings))
    return result


NO_ENTRIES = (
    "no entries found: entries are the top-level bullets (-, * or +) of a release, or its "
    "numbered items when it has no bullet (under a heading that names a version, such as "
    "'## 1.2.0', or in an Istio page)"
)
"""Said when files were read but hold no entry (prose, a table, a page of another kind)."""


def no_entries_warning(releases: Sequence[Release], warnings: Sequence[str]) -> list[str]:
    """`NO_ENTRIES` (after the file's name, when there is one file) when releases were read
    and none holds an entry; else nothing. Files said to be empty are left out.

    Args:
        releases: Everything read.
        warnings: What reading them said (`<label>: empty file; ...` for an empty file).

    Returns:
        The warning, or nothing.
    """
    if not releases or any(release.entries for release in releases):
        return []
    empty = {
        warning.removesuffix(f": {EMPTY_FILE}")
        for warning in warnings
        if warning.endswith(f": {EMPTY_FILE}")
    }
    labels = {STDIN_LABEL if r.source == STDIN else r.source for r in releases} - empty
    if not labels:
        return []
    return [f"{labels.pop()}: {NO_ENTRIES}" if len(labels) == 1 else NO_ENTRIES]
