"""The section tree: releases and their areas, with entry counts that follow the filter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from notes_tui.model import Release
from notes_tui.sanitize import clean_line

DOC_TITLES = {
    "change-notes": "Change Notes",
    "patch-notes": "Patch Notes",
    "upgrade-notes": "Upgrade Notes",
    "security-bulletin": "Security Bulletin",
    "announcement": "Announcement",
    "changelog": "Changelog",
}
"""How each document kind is named in the tree."""


@dataclass(frozen=True, slots=True)
class Scope:
    """What a tree node stands for: everything, a release, or one area of it."""

    release: int | None = None
    """The release's position, or None for every release."""
    area_key: str | None = None
    """The area key, or None for every area."""
    label: str = field(default="All", compare=False)
    """How the node is named (not part of its identity)."""


def release_label(release: Release) -> str:
    """Name a release in the tree: `1.28.0 Change Notes`.

    Args:
        release: The release.

    Returns:
        Its label, safe to show.
    """
    kind = DOC_TITLES.get(release.doc_kind, "")
    if release.doc_kind == "security-bulletin" or not kind:
        return clean_line(release.version)
    return clean_line(f"{release.version} {kind}")


class SectionTree(Tree[Scope]):
    """Releases and their areas; choosing a node posts `ScopeSelected`."""

    class ScopeSelected(Message):
        """The user chose a node of the tree."""

        def __init__(self, scope: Scope) -> None:
            super().__init__()
            self.scope = scope

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("All", data=Scope(), id=id, classes=classes)
        self.show_root = True
        self.guide_depth = 2
        self._scope_nodes: list[tuple[TreeNode[Scope], Scope]] = []

    def set_releases(self, releases: Sequence[Release]) -> None:
        """Rebuild the tree from releases.

        Args:
            releases: Everything loaded, in order.
        """
        self.clear()
        self._scope_nodes = [(self.root, self.root.data or Scope())]
        for position, release in enumerate(releases):
            if not release.entries:
                continue
            label = release_label(release)
            scope = Scope(position, None, label)
            node = self.root.add(label, data=scope, expand=len(releases) <= 3)
            self._scope_nodes.append((node, scope))
            seen: set[str] = set()
            for section in release.sections:
                if section.key in seen or not section.all_entries():
                    continue
                seen.add(section.key)
                area_scope = Scope(position, section.key, clean_line(section.title))
                self._scope_nodes.append(
                    (node.add_leaf(area_scope.label, data=area_scope), area_scope)
                )
        self.root.expand()

    def set_counts(self, counts: Mapping[Scope, int]) -> None:
        """Show how many entries each node holds under the current filter.

        Args:
            counts: Entry counts by scope; missing scopes count 0.
        """
        for node, scope in self._scope_nodes:
            count = counts.get(scope, 0)
            label = Text(scope.label)
            label.append(f" ({count})", style="dim")
            node.set_label(label)

    def process_label(self, label: str | Text) -> Text:
        """Labels are data: a `str` is shown as it is, never read as markup."""
        text = Text(label) if isinstance(label, str) else label
        return text.split()[0] if text.plain else text

    def on_tree_node_selected(self, event: Tree.NodeSelected[Scope]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.ScopeSelected(event.node.data))
