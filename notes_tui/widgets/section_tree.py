"""The section tree: releases and their areas, with entry counts that follow the filter."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from notes_tui.model import Release
from notes_tui.outline import OutlineNode, build_outline
from notes_tui.versions import Version
from notes_tui.widgets.counted_tree import CountedTree, Counts, Scope
from notes_tui.widgets.sizing import SteadyScrollbars


class SectionTree(CountedTree, SteadyScrollbars):
    """Releases and their areas; choosing a node posts `ScopeSelected`.

    The nodes are built from the releases' outline, a collapsed node's children when it is
    first expanded; each node's count is drawn after its name (`CountedTree`).
    """

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
        self._unbuilt: dict[int, OutlineNode] = {}
        """The outline of collapsed nodes, by node id: their children are made when the node
        is first expanded."""

    def set_releases(
        self,
        releases: Sequence[Release],
        versions: Sequence[Version | None] | None = None,
        counts: Counts | None = None,
    ) -> None:
        """Rebuild the tree from releases, as `build_outline` lays them out.

        The children of a collapsed node are made when it is first expanded: with many
        releases, most of the tree is never opened.

        Args:
            releases: Everything loaded, in load order (positions identify them).
            versions: `release_version` of each release, when the caller has them.
            counts: The entries each scope holds under the filter, when known: a series
                that holds none starts closed (a version range leaves most of them empty).
        """
        self.clear()
        outline = build_outline(releases, versions)
        self._unbuilt = {}
        expand_all = sum(len(release.sections) for release in releases) < 40
        self._add_outline(self.root, outline.children, expand_all, counts)
        self.root.expand()  # Lays the lines out again (`Tree._invalidate`).

    def _add_outline(
        self,
        parent: TreeNode[Scope],
        children: list[OutlineNode],
        expand_all: bool,
        counts: Counts | None = None,
    ) -> None:
        """Add nodes under `parent` as `TreeNode.add` does, without a layout for each node.

        The caller lays the lines out once (`Tree._invalidate`), after adding them all.
        """
        for outline in children:
            scope = Scope(outline.releases, outline.area_key, outline.label)
            branch = outline.has_children
            # Series and the top level are open unless they hold no entry under the counts
            # given (a filter); versions open when there are few areas.
            expand = branch and (expand_all or parent is self.root)
            if expand and counts is not None and not expand_all:
                expand = self._count(scope, counts) > 0
            node = self._add_node(parent, Text(outline.label), scope, expand)
            node._allow_expand = branch
            parent._children.append(node)
            if expand:
                self._add_outline(node, outline.children, expand_all)
            elif branch:
                self._unbuilt[node._id] = outline
        parent._updates += 1

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Scope]) -> None:
        node = event.node
        # A node of a tree since rebuilt (loading goes on) may share its id with a new one.
        if self._tree_nodes.get(node.id) is node and node.id in self._unbuilt:
            self._add_outline(node, self._unbuilt.pop(node.id).children, expand_all=False)
            self._invalidate()

    def lay_out_lines(self) -> None:
        """Lay the lines and the scrollbars out now, rather than as the tree is painted.

        `Tree` lays its lines out when it is idle or painted, and their size (then, often,
        a horizontal scrollbar coming or going) asks for another layout of the screen: one
        more frame, 20 to 40 ms, after new releases or counts are shown. Called after those
        (counts widen the lines), the next frame has them.
        """
        _ = self.last_line  # `Tree.last_line` lays the lines out if needed.
        if self.is_mounted and self.size:
            self._refresh_scrollbars()

    def process_label(self, label: str | Text) -> Text:
        """Labels are data: a `str` is shown as it is, never read as markup."""
        text = Text(label) if isinstance(label, str) else label
        if "\n" not in text.plain:
            # What `split()[0]` gives, without copying a Text made here.
            return text if isinstance(label, str) or not text.plain else text.copy()
        return text.split()[0]

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
