"""The kind vocabulary: the verbs that open entries, normalised."""

from __future__ import annotations

KIND_VERBS: dict[str, str] = {
    "added": "Added",
    "add": "Added",
    "adds": "Added",
    "introduced": "Added",
    "extended": "Added",
    "fixed": "Fixed",
    "fix": "Fixed",
    "fixes": "Fixed",
    "improved": "Changed",
    "enhanced": "Changed",
    "refined": "Changed",
    "reduced": "Changed",
    "increased": "Changed",
    "optimized": "Performance",
    "updated": "Changed",
    "update": "Changed",
    "updates": "Changed",
    "revised": "Changed",
    "revamped": "Changed",
    "removed": "Removed",
    "dropped": "Removed",
    "deprecated": "Deprecated",
    "promoted": "Changed",
    "graduated": "Changed",
    "enabled": "Changed",
    "disabled": "Changed",
    "upgraded": "Changed",
    "bumped": "Dependency",
    "changed": "Changed",
    "replaced": "Changed",
    "renamed": "Changed",
    "moved": "Changed",
    "preserved": "Changed",
    "allowed": "Changed",
    "customized": "Changed",
    "reverted": "Changed",
    "security": "Security",
}
"""Lower-cased verbs (and a few synonyms) mapped to the one kind vocabulary.

The verb itself stays as the entry's `kind_label` (`Promoted` is kind Changed, label
Promoted), so nothing the notes say is lost.
"""

KIND_ORDER: tuple[str, ...] = (
    "Added",
    "Changed",
    "Deprecated",
    "Removed",
    "Fixed",
    "Security",
    "Performance",
    "Breaking",
    "Docs",
    "Dependency",
    "Other",
)
"""The one kind vocabulary of every format, in the order kinds are offered (`t`, help)."""

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
