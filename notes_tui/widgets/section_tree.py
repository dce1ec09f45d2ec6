"""The section tree: releases and their areas, with entry counts that follow the filter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.text import Span, Text
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
        self._shown_counts: list[int | None] = []
        """The count each node of `_scope_nodes` shows (None before the first `set_counts`)."""

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
        self._shown_counts = [None] * len(self._scope_nodes)
        self.root.expand()

    def set_counts(self, counts: Mapping[Scope, int]) -> None:
        """Show how many entries each node holds under the current filter.

        Args:
            counts: Entry counts by scope; missing scopes count 0.
        """
        shown = self._shown_counts
        changed = False
        for index, (node, scope) in enumerate(self._scope_nodes):
            count = counts.get(scope, 0)
            if shown[index] == count:
                continue
            shown[index] = count
            plain = f"{scope.label} ({count})"
            # What `node.set_label` does, minus the refresh it queues for each node (thousands
            # of callbacks with many releases): one refresh below repaints the lines shown.
            # The label is clean and one line, so `process_label` would return an equal copy.
            node._label = Text(plain, spans=[Span(len(scope.label), len(plain), "dim")])
            node._updates += 1
            changed = True
        if changed:
            self.refresh()

    def process_label(self, label: str | Text) -> Text:
        """Labels are data: a `str` is shown as it is, never read as markup."""
        text = Text(label) if isinstance(label, str) else label
        if "\n" not in text.plain:
            # What `split()[0]` gives, without copying a Text made here.
            return text if isinstance(label, str) or not text.plain else text.copy()
        return text.split()[0]

    def get_label_width(self, node: TreeNode[Scope]) -> int:
        """The width `render_label` gives, without rendering (the tree asks for every line)."""
        icon = "" if not node.allow_expand else self.ICON_NODE_EXPANDED
        if node.allow_expand and not node.is_expanded:
            icon = self.ICON_NODE
        label = node.label
        return cell_len(icon) + (label.cell_len if isinstance(label, Text) else cell_len(label))

    def on_tree_node_selected(self, event: Tree.NodeSelected[Scope]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.ScopeSelected(event.node.data))
