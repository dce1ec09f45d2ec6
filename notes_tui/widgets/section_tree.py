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
from notes_tui.outline import OutlineNode, build_outline


@dataclass(frozen=True, slots=True)
class Scope:
    """What a tree node stands for: some releases (or all), and maybe one area."""

    releases: frozenset[int] | None = None
    """The positions of the releases it covers, or None for every release."""
    area_key: str | None = None
    """The area key, or None for every area."""
    label: str = field(default="All", compare=False)
    """How the node is named (not part of its identity)."""


class SectionTree(Tree[Scope]):
    """Releases and their areas; choosing a node posts `ScopeSelected`."""

    class ScopeSelected(Message):
        """The user chose a node of the tree."""

        def __init__(self, scope: Scope, name: str) -> None:
            super().__init__()
            self.scope = scope
            self.name = name
            """The name of the releases it covers (for an area, its release's name)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("All", data=Scope(), id=id, classes=classes)
        self.show_root = True
        self.guide_depth = 2
        self._scope_nodes: list[tuple[TreeNode[Scope], Scope]] = []
        self._shown_counts: list[int | None] = []
        """The count each node of `_scope_nodes` shows (None before the first `set_counts`)."""

    def set_releases(self, releases: Sequence[Release]) -> None:
        """Rebuild the tree from releases, as `build_outline` lays them out.

        Args:
            releases: Everything loaded, in load order (positions identify them).
        """
        self.clear()
        outline = build_outline(releases)
        self._scope_nodes = [(self.root, Scope())]
        small = sum(len(release.sections) for release in releases) < 40

        def add(parent: TreeNode[Scope], node: OutlineNode, depth: int) -> None:
            scope = Scope(node.releases, node.area_key, node.label)
            if node.children:
                branch = parent.add(node.label, data=scope, expand=small or depth == 0)
                for child in node.children:
                    add(branch, child, depth + 1)
            else:
                branch = parent.add_leaf(node.label, data=scope)
            self._scope_nodes.append((branch, scope))

        for child in outline.children:
            add(self.root, child, 0)
        self._shown_counts = [None] * len(self._scope_nodes)
        self.root.expand()

    def set_counts(self, counts: Mapping[tuple[int | None, str | None], int]) -> None:
        """Show how many entries each node holds under the current filter.

        Args:
            counts: Entry counts by `(release position, area key)`, either part None for
                all; missing keys count 0.
        """
        shown = self._shown_counts
        changed = False
        for index, (node, scope) in enumerate(self._scope_nodes):
            if scope.releases is None:
                count = counts.get((None, scope.area_key), 0)
            else:
                count = sum(counts.get((p, scope.area_key), 0) for p in scope.releases)
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
        scope = event.node.data
        if scope is None:
            return
        parent = event.node.parent
        name = scope.label
        if scope.area_key is not None and parent is not None and parent.data is not None:
            name = parent.data.label
        self.post_message(self.ScopeSelected(scope, name))
