"""The release-notes model: frozen dataclasses shared by the parsers, the CLI and the TUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DOC_KINDS = (
    "change-notes",
    "patch-notes",
    "upgrade-notes",
    "security-bulletin",
    "announcement",
    "index",
    "changelog",
)
"""Every document kind a release can have."""


@dataclass(frozen=True, slots=True)
class IssueRef:
    """A reference to a GitHub issue or pull request, identified by its URL."""

    repo: str
    """`owner/name` of the repository, e.g. `istio/istio`."""
    number: int
    """The issue or pull-request number."""
    type: str
    """`issue` or `pull`."""
    url: str
    """The canonical URL of the issue or pull request."""


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in an entry, with its URL made absolute."""

    url: str
    """The absolute URL."""
    label: str
    """The link text as plain text (the URL itself for bare links)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One change: a bullet of release notes, with everything it says."""

    release: str
    """The version of the release it belongs to, as written."""
    area: str
    """The area (section) title as written, e.g. `Traffic Management`."""
    area_key: str
    """The normalised area key, so that differently cased titles are one area."""
    kind: str
    """The normalised kind (`Added`, `Fixed`...), `Other` where the entry names none."""
    kind_label: str
    """The kind as the notes wrote it (`***Added***` gives `Added`); empty when none."""
    summary: str
    """A one-line plain-text summary."""
    markdown: str
    """The entry's full Markdown: sub-bullets, code blocks and continuation paragraphs."""
    text: str
    """The entry's plain text, for searching."""
    links: tuple[Link, ...]
    """Every link of the entry, absolute, in order of appearance, without duplicates."""
    issues: tuple[IssueRef, ...]
    """The issue and pull-request references, in order, without duplicates."""
    line: int
    """The 1-based line of the source file where the entry starts."""
    source: str
    """The path of the source file (or `-` for standard input)."""
    doc_kind: str = "changelog"
    """The document kind of the release it belongs to."""
    cves: tuple[str, ...] = ()
    """CVE ids the entry mentions."""
    areas: tuple[str, ...] = ()
    """Every area the entry belongs to when it names several (Kubernetes SIGs); `area` is the
    first. Empty when the entry has just `area`."""
    author: str = ""
    """Who wrote the change, when the notes say (`@user`)."""
    home_repo: str = ""
    """`owner/name` of the notes' own repository (its issues show as plain `#N`), if known."""


@dataclass(frozen=True, slots=True)
class Section:
    """An area of a release: a heading and the entries under it."""

    title: str
    """The area title as written."""
    key: str
    """The normalised area key."""
    entries: tuple[Entry, ...] = ()
    """The entries directly under this heading."""
    subsections: tuple[Section, ...] = ()
    """Nested sections (deeper headings), if the notes have them."""
    prose: str = ""
    """Markdown that is not an entry (introductions, explanations)."""

    def all_entries(self) -> tuple[Entry, ...]:
        """Return this section's entries followed by those of its sub-sections."""
        collected = list(self.entries)
        for subsection in self.subsections:
            collected.extend(subsection.all_entries())
        return tuple(collected)


@dataclass(frozen=True, slots=True)
class Release:
    """One document of release notes: a version's change notes, a bulletin, a changelog block."""

    version: str
    """The version as written, e.g. `1.28.0`; the bulletin id for security bulletins."""
    title: str
    """The document title."""
    date: str | None
    """The publication date in ISO form, when known."""
    doc_kind: str
    """One of `DOC_KINDS`."""
    source: str
    """The path of the source file (or `-` for standard input)."""
    sections: tuple[Section, ...] = ()
    """The areas, in the order the notes give them."""
    front_matter: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    """The YAML front matter as parsed (empty when there is none)."""
    prose: str = ""
    """Markdown before the first area (introductions)."""
    cves: tuple[str, ...] = ()
    """CVE ids of a security bulletin."""
    cvss: str | None = None
    """The CVSS score of a security bulletin, as written."""
    warnings: tuple[str, ...] = ()
    """Problems met while reading that did not stop the parse."""
    project: str = ""
    """The project the notes are about (`istio/istio`, `kubernetes/kubernetes`), when known."""
    format: str = "istio"
    """The format the release was read as (`istio`, `kubernetes`, `keep-a-changelog`...)."""

    @property
    def entries(self) -> tuple[Entry, ...]:
        """All entries of the release, in document order."""
        collected: list[Entry] = []
        for section in self.sections:
            collected.extend(section.all_entries())
        return tuple(collected)


def area_key(title: str) -> str:
    """Normalise an area title so that case and spacing differences are one area.

    Args:
        title: The area title as written.

    Returns:
        The lower-cased title with runs of white space folded to one space.
    """
    return " ".join(title.split()).casefold()
