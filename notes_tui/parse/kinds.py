"""The kind vocabulary: the verbs that open entries, normalised."""

from __future__ import annotations

KIND_VERBS: dict[str, str] = {
    "added": "Added",
    "add": "Added",
    "adds": "Added",
    "introduced": "Added",
    "fixed": "Fixed",
    "fix": "Fixed",
    "fixes": "Fixed",
    "improved": "Improved",
    "enhanced": "Improved",
    "optimized": "Improved",
    "refined": "Improved",
    "reduced": "Improved",
    "increased": "Improved",
    "updated": "Updated",
    "update": "Updated",
    "updates": "Updated",
    "revised": "Updated",
    "revamped": "Updated",
    "removed": "Removed",
    "dropped": "Removed",
    "deprecated": "Deprecated",
    "promoted": "Promoted",
    "graduated": "Graduated",
    "enabled": "Enabled",
    "disabled": "Disabled",
    "upgraded": "Upgraded",
    "bumped": "Upgraded",
    "changed": "Changed",
    "replaced": "Changed",
    "renamed": "Changed",
    "moved": "Changed",
    "preserved": "Changed",
    "allowed": "Changed",
    "extended": "Added",
    "customized": "Changed",
    "reverted": "Changed",
    "security": "Security",
}
"""Lower-cased verbs (and a few synonyms) mapped to the kind they name."""

KIND_ORDER: tuple[str, ...] = (
    "Added",
    "Fixed",
    "Improved",
    "Updated",
    "Changed",
    "Removed",
    "Deprecated",
    "Promoted",
    "Graduated",
    "Enabled",
    "Disabled",
    "Upgraded",
    "Security",
    "Performance",
    "Breaking",
    "Docs",
    "Dependency",
    "Upgrade",
    "Other",
)
"""The order kinds are offered in (kind filter cycling, the help screen)."""

OTHER = "Other"
"""The kind of an entry that names none."""


def kind_of(word: str) -> str | None:
    """Return the kind a leading word names, or None.

    Args:
        word: The word, as written (case and trailing punctuation are ignored).

    Returns:
        The normalised kind, or None when the word is no known verb.
    """
    return KIND_VERBS.get(word.strip().strip(":.,").casefold())


def kind_rank(kind: str) -> int:
    """Return a sort key that keeps kinds in `KIND_ORDER`, unknown kinds last.

    Args:
        kind: A normalised kind.

    Returns:
        Its position.
    """
    try:
        return KIND_ORDER.index(kind)
    except ValueError:
        return len(KIND_ORDER)
