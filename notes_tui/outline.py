"""The section tree's shape, without Textual: projects, series, versions, documents, areas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from notes_tui.model import Release, Section
from notes_tui.parse.istio_docs import BULLETIN_PREFIX
from notes_tui.sanitize import clean_line
from notes_tui.versions import Version, release_version, series

DOC_TITLES = {
    "change-notes": "Change Notes",
    "patch-notes": "Patch Notes",
    "upgrade-notes": "Upgrade Notes",
    "security-bulletin": "Security Bulletin",
    "announcement": "Announcement",
    "changelog": "",
}
"""How each document kind is named in the tree."""

GROUP_THRESHOLD = 6
"""With more versioned releases than this, they are grouped by minor series (`1.28.x`)."""


@dataclass
class OutlineNode:
    """A node of the tree: what it is called and which entries it stands for."""

    label: str
    """The node's name, safe to show."""
    releases: frozenset[int] | None
    """The positions of the releases it covers; None for everything."""
    area_key: str | None = None
    """The area it narrows to, or None."""
    areas_of: Release | None = field(default=None, repr=False, compare=False)
    """For a release's node, until its children are first asked for: the release whose areas
    they are. Most of a large tree is never opened, so its areas are never made."""
    _children: list[OutlineNode] = field(default_factory=list, repr=False)
    """`children`, once made."""

    @property
    def children(self) -> list[OutlineNode]:
        """Nested nodes, in display order."""
        if self.areas_of is not None:
            self._children = _area_nodes(self.areas_of, self.releases)
            self.areas_of = None
        return self._children

    @children.setter
    def children(self, children: list[OutlineNode]) -> None:
        self.areas_of, self._children = None, children

    @property
    def has_children(self) -> bool:
        """Whether the node has children, without making them."""
        return self.areas_of is not None or bool(self._children)


def display_order(
    releases: Sequence[Release], versions: Sequence[Version | None] | None = None
) -> list[int]:
    """Order releases as the tree shows them: newest version first, then the rest, newest first.

    Releases with no version (security bulletins) come after the versioned ones, by date.
    The sort is stable, so documents of one version keep the order they were read in.

    Args:
        releases: The releases.
        versions: `release_version` of each release, when the caller already has them.

    Returns:
        Their positions, in display order.
    """
    if versions is None:
        versions = [release_version(release) for release in releases]
    versioned: list[tuple[Version, int]] = []
    others: list[tuple[str, int]] = []
    for position, release in enumerate(releases):
        version = versions[position]
        if version is None:
            others.append((release.date or "", position))
        else:
            versioned.append((version, position))
    versioned.sort(key=lambda pair: _sort_key(pair[0]), reverse=True)
    others.sort(key=lambda pair: pair[0], reverse=True)
    return [position for _, position in versioned] + [position for _, position in others]


def _sort_key(version: Version) -> tuple[object, ...]:
    """The fields `Version` orders by, as one tuple: sorting by it is far cheaper than by the
    `__lt__` the dataclass generates, and gives the same order."""
    v = version
    return (v.channel, v.major, v.minor, v.patch, v.stage, v.pre)


def release_label(release: Release, with_version: bool = True) -> str:
    """Name a release: `1.28.0 Change Notes`, or a bulletin with its CVSS score and CVEs
    (`2025-001 · CVSS 7.5 · CVE-2025-55162`, its id without `ISTIO-SECURITY-`).

    Args:
        release: The release.
        with_version: False under a version node, where the version is already shown.

    Returns:
        The label, safe to show.
    """
    if release.doc_kind == "security-bulletin":
        # Under "Security bulletins" the id's prefix tells nothing, and its count, its CVSS
        # score and its CVE ids, cut off at the tree's width, would not show. A bulletin
        # with no id is named by its title, not by the version it mentions.
        name = release.version
        if name.upper().startswith(BULLETIN_PREFIX):
            name = name[len(BULLETIN_PREFIX) :]
        elif release.title:
            name = release.title
        parts = [name]
        if release.cvss:
            parts.append(f"CVSS {release.cvss}")
        if release.cves:
            parts.append(", ".join(release.cves))
        return clean_line(" · ".join(parts))
    kind = DOC_TITLES.get(release.doc_kind, "")
    if not with_version:
        return clean_line(kind or release.title)
    return clean_line(f"{release.version} {kind}".strip())


def _release_node(releases: Sequence[Release], position: int, label: str) -> OutlineNode:
    """A release's node; its areas are made when first asked for (`OutlineNode.children`)."""
    return OutlineNode(label, frozenset({position}), areas_of=releases[position])


def _area_nodes(release: Release, positions: frozenset[int] | None) -> list[OutlineNode]:
    """The areas of a release that hold entries, once each, in the notes' order."""
    nodes: list[OutlineNode] = []
    seen: set[str] = set()
    for section in release.sections:
        if section.key in seen or not _has_entries(section):
            continue
        seen.add(section.key)
        nodes.append(OutlineNode(clean_line(section.title), positions, section.key))
    return nodes


def _has_entries(section: Section) -> bool:
    """`bool(section.all_entries())`, without collecting them."""
    return bool(section.entries) or any(_has_entries(sub) for sub in section.subsections)


def _version_nodes(
    releases: Sequence[Release], versions: Sequence[Version | None], positions: list[int]
) -> list[OutlineNode]:
    """One node per version; a version with several documents gets one child per document."""
    nodes: list[OutlineNode] = []
    by_version: dict[Version | None, list[int]] = {}
    for position in positions:
        by_version.setdefault(versions[position], []).append(position)
    for version, members in by_version.items():
        if version is None or len(members) == 1:
            nodes.extend(
                _release_node(releases, member, release_label(releases[member]))
                for member in members
            )
            continue
        parent = OutlineNode(clean_line(releases[members[0]].version), frozenset(members))
        parent.children = [
            _release_node(releases, member, release_label(releases[member], with_version=False))
            for member in members
        ]
        nodes.append(parent)
    return nodes


def _project_nodes(
    releases: Sequence[Release], versions: Sequence[Version | None], positions: list[int]
) -> list[OutlineNode]:
    versioned = [p for p in positions if versions[p] is not None]
    bulletins = [p for p in positions if releases[p].doc_kind == "security-bulletin"]
    placed = set(versioned) | set(bulletins)
    others = [p for p in positions if p not in placed]
    nodes: list[OutlineNode] = []
    if len(versioned) > GROUP_THRESHOLD:
        groups: dict[str, list[int]] = {}
        for position in versioned:
            version = versions[position]
            name = series(version) if version is not None else "other"
            groups.setdefault(name, []).append(position)
        for name, members in groups.items():
            group = OutlineNode(clean_line(name), frozenset(members))
            group.children = _version_nodes(releases, versions, members)
            nodes.append(group)
    else:
        nodes.extend(_version_nodes(releases, versions, versioned))
    if bulletins:
        group = OutlineNode("Security bulletins", frozenset(bulletins))
        group.children = [_release_node(releases, p, release_label(releases[p])) for p in bulletins]
        nodes.append(group)
    nodes.extend(_release_node(releases, p, release_label(releases[p])) for p in others)
    return nodes


def build_outline(
    releases: Sequence[Release], versions: Sequence[Version | None] | None = None
) -> OutlineNode:
    """Build the tree: `All` > project (when several) > series > version > document > area.

    Releases without entries (index pages, prose-only pages) are left out.

    Args:
        releases: Everything loaded.
        versions: `release_version` of each release, when the caller already has them.

    Returns:
        The root node.
    """
    if versions is None:
        versions = [release_version(release) for release in releases]
    root = OutlineNode("All", None)
    shown = [
        p
        for p in display_order(releases, versions)
        if any(_has_entries(section) for section in releases[p].sections)
    ]
    projects: dict[str, list[int]] = {}
    for position in shown:
        projects.setdefault(releases[position].project, []).append(position)
    if len(projects) <= 1:
        root.children = _project_nodes(releases, versions, shown)
        return root
    for project, members in projects.items():
        node = OutlineNode(clean_line(project or "notes"), frozenset(members))
        node.children = _project_nodes(releases, versions, members)
        root.children.append(node)
    return root
