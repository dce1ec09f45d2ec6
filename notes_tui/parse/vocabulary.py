"""The changelog kind vocabulary: section headings and leading words mapped to one set of kinds."""

from __future__ import annotations

import re

from notes_tui.parse.kinds import KIND_ORDER, KIND_VERBS, OTHER

CHANGELOG_KINDS: tuple[str, ...] = KIND_ORDER
"""Every kind a changelog entry can have, whatever the format."""

HEADING_KINDS: dict[str, str] = {
    # Keep a Changelog, with the misspellings real files have.
    "added": "Added",
    "add": "Added",
    "changed": "Changed",
    "change": "Changed",
    "changes": "Changed",
    "deprecated": "Deprecated",
    "removed": "Removed",
    "remove": "Removed",
    "fixed": "Fixed",
    "fix": "Fixed",
    "security": "Security",
    # towncrier's default and common custom types.
    "features": "Added",
    "feature": "Added",
    "new features": "Added",
    "new feature": "Added",
    "enhancements": "Changed",
    "improvements": "Changed",
    "bugfixes": "Fixed",
    "bugfix": "Fixed",
    "bug fixes": "Fixed",
    "bug fix": "Fixed",
    "fixes": "Fixed",
    "bug or regression": "Fixed",
    "deprecations": "Deprecated",
    "deprecation": "Deprecated",
    "deprecations and removals": "Deprecated",
    "removals": "Removed",
    "backwards-incompatible changes": "Breaking",
    "backward-incompatible changes": "Breaking",
    "backwards incompatible changes": "Breaking",
    "backward incompatible changes": "Breaking",
    "breaking changes": "Breaking",
    "breaking change": "Breaking",
    "breaking": "Breaking",
    "improved documentation": "Docs",
    "documentation": "Docs",
    "documentation updates": "Docs",
    "doc updates": "Docs",
    "docs": "Docs",
    "performance": "Performance",
    "performance improvements": "Performance",
    "dependencies": "Dependency",
    "dependency updates": "Dependency",
    "dependency": "Dependency",
    "packaging": "Dependency",
    "vendored libraries": "Dependency",
    "security fixes": "Security",
    # Release tools' and projects' own words (changesets, GitHub's release.yml examples,
    # release-drafter, Django): emoji and a trailing "in 5.0" are taken off first.
    "major changes": "Breaking",
    "minor changes": "Added",
    "patch changes": "Fixed",
    "incompatible changes": "Breaking",
    "breaking api changes": "Breaking",
    "upgrade notes": "Breaking",
    "exciting new features": "Added",
    "new": "Added",
    "additions": "Added",
    "enhancement": "Changed",
    "improvement": "Changed",
    "bugs": "Fixed",
    "bug": "Fixed",
    "fixed bugs": "Fixed",
    "bugs fixed": "Fixed",
    "deprecated features": "Deprecated",
    "features deprecated": "Deprecated",
    "removed features": "Removed",
    "features removed": "Removed",
    "removal": "Removed",
    "security updates": "Security",
    "documentation changes": "Docs",
    "dependency upgrades": "Dependency",
    "updated dependencies": "Dependency",
    "misc": OTHER,
    "miscellaneous": OTHER,
    "other": OTHER,
    "other changes": OTHER,
    "internals": OTHER,
    "trivial/internal changes": OTHER,
}
"""Section headings (lower-cased, brackets and colons taken off) that name a kind."""

_VERB_KINDS: dict[str, str] = {
    "Improved": "Changed",
    "Updated": "Changed",
    "Promoted": "Changed",
    "Graduated": "Changed",
    "Enabled": "Changed",
    "Disabled": "Changed",
    "Upgraded": "Dependency",
}
"""The Istio verb kinds outside this vocabulary, and the kind they become."""

WORD_KINDS: dict[str, str] = {
    **{word: _VERB_KINDS.get(kind, kind) for word, kind in KIND_VERBS.items()},
    "remove": "Removed",
    "removes": "Removed",
    "drop": "Removed",
    "drops": "Removed",
    "deprecate": "Deprecated",
    "deprecates": "Deprecated",
    "change": "Changed",
    "changes": "Changed",
    "improve": "Changed",
    "improves": "Changed",
    "optimize": "Performance",
    "optimise": "Performance",
    "bump": "Dependency",
    "bumps": "Dependency",
    "upgrade": "Dependency",
    "upgrades": "Dependency",
    "feat": "Added",
    "docs": "Docs",
    "doc": "Docs",
    "perf": "Performance",
    "deps": "Dependency",
    "breaking": "Breaking",
}
"""Lower-cased leading words of an entry (`Fix ...`, `fix: ...`, `[Docs] ...`) and their kind."""

_DECORATION = re.compile(r"^[\W_]+|[\W_]+$")
"""What surrounds a kind heading's words: brackets, colons, emphasis, emoji (`### 🐛 Bug Fixes`)."""
_IN_VERSION = re.compile(r"\s+in\s+v?\d+(?:\.\d+)*$")
"""A heading's closing `in 5.0` (`Features removed in 5.0`)."""
_LEADING_WORD = re.compile(r"^[^\w\[]*(\[?)([A-Za-z][\w-]*)(?:\([\w./-]+\))?(\]?)(!?:?)")


def clean_label(title: str) -> str:
    """Return a heading as a kind label: white space folded, a trailing colon dropped.

    Args:
        title: The heading's plain text.

    Returns:
        The label (`Changes:` gives `Changes`; `[Fixed]` stays `[Fixed]`).
    """
    return " ".join(title.split()).rstrip(":").rstrip()


def heading_kind(title: str) -> str | None:
    """Return the kind a section heading names, or None.

    Args:
        title: The heading's plain text (`Bug Fixes`, `[Fixed]`, `Changes:`).

    Returns:
        The normalised kind, or None for a heading that names no kind.
    """
    key = _DECORATION.sub("", " ".join(title.split())).casefold()
    return HEADING_KINDS.get(key) or HEADING_KINDS.get(_IN_VERSION.sub("", key))


def word_kind(text: str) -> tuple[str, str] | None:
    """Return the kind an entry's opening word names, and that word as written.

    The word may follow an emoji or punctuation, and may be a bracketed or
    conventional-commit prefix (`[Docs]`, `fix:`, `chore(deps):`); a conventional commit
    marked breaking (`feat!:`) is Breaking.

    Args:
        text: The entry's plain text.

    Returns:
        `(kind, label)`, or None when the first word names no kind.
    """
    match = _LEADING_WORD.match(text)
    if match is None:
        return None
    word = match.group(2)
    if match.group(4) == "!:":
        return "Breaking", f"{word}!"  # a conventional commit's `feat!:`, `refactor(api)!:`
    kind = WORD_KINDS.get(word.casefold())
    if kind is None and "(deps)" in match.group(0):
        kind = "Dependency"
    if kind is None:
        return None
    if match.group(1) and match.group(3):
        return kind, f"[{word}]"
    return kind, word
