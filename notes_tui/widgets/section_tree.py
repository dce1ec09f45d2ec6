"""The section tree: releases and their areas, with entry counts that follow the filter."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.style import Style
from rich.text import Span, Text
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from notes_tui.model import Release
from notes_tui.outline import OutlineNode, build_outline
from notes_tui.versions import Version


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
        self._counts: Mapping[tuple[int | None, str | None], int] | None = None
        """The counts last shown, for nodes made later."""
        self._sizes_seen: tuple[Size, ...] = ()
        self._line_style = Style()
        """`rich_style`, computed once per render (see `render_lines`)."""
        self._unbuilt: dict[int, list[OutlineNode]] = {}
        """The children of collapsed nodes, by node id: made when the node is first expanded."""

    def set_releases(
        self, releases: Sequence[Release], versions: Sequence[Version | None] | None = None
    ) -> None:
        """Rebuild the tree from releases, as `build_outline` lays them out.

        The children of a collapsed node are made when it is first expanded: with many
        releases, most of the tree is never opened.

        Args:
            releases: Everything loaded, in load order (positions identify them).
            versions: `release_version` of each release, when the caller has them.
        """
        self.clear()
        outline = build_outline(releases, versions)
        self._scope_nodes = [(self.root, Scope())]
        self._shown_counts = [None]
        self._unbuilt = {}
        expand_all = sum(len(release.sections) for release in releases) < 40
        # New nodes are labelled with the counts last shown (see `_add_outline`).
        self._add_outline(self.root, outline.children, expand_all)
        self.root.expand()

    def _add_outline(
        self, parent: TreeNode[Scope], children: list[OutlineNode], expand_all: bool
    ) -> None:
        for node in children:
            scope = Scope(node.releases, node.area_key, node.label)
            count = None if self._counts is None else self._count(scope, self._counts)
            label = node.label if count is None else _label(node.label, count)
            if not node.children:
                self._scope_nodes.append((parent.add_leaf(label, data=scope), scope))
                self._shown_counts.append(count)
                continue
            # Series and the top level are open; versions open when there are few areas.
            expand = expand_all or parent is self.root
            branch = parent.add(label, data=scope, expand=expand)
            self._scope_nodes.append((branch, scope))
            self._shown_counts.append(count)
            if expand:
                self._add_outline(branch, node.children, expand_all)
            else:
                self._unbuilt[branch.id] = node.children

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[Scope]) -> None:
        node = event.node
        # A node of a tree since rebuilt (loading goes on) may share its id with a new one.
        if self._tree_nodes.get(node.id) is node and node.id in self._unbuilt:
            self._add_outline(node, self._unbuilt.pop(node.id), expand_all=False)

    @staticmethod
    def _count(scope: Scope, counts: Mapping[tuple[int | None, str | None], int]) -> int:
        if scope.releases is None:
            return counts.get((None, scope.area_key), 0)
        return sum(counts.get((position, scope.area_key), 0) for position in scope.releases)

    def set_counts(self, counts: Mapping[tuple[int | None, str | None], int]) -> None:
        """Show how many entries each node holds under the current filter.

        Args:
            counts: Entry counts by `(release position, area key)`, either part None for
                all; missing keys count 0.
        """
        self._counts = counts
        shown = self._shown_counts
        changed = False
        for index, (node, scope) in enumerate(self._scope_nodes):
            count = self._count(scope, counts)
            if shown[index] == count:
                continue
            shown[index] = count
            # What `node.set_label` does, minus the refresh it queues for each node (thousands
            # of callbacks with many releases): one refresh below repaints the lines shown.
            # The label is clean and one line, so `process_label` would return an equal copy.
            node._label = _label(scope.label, count)
            node._updates += 1
            changed = True
        if changed:
            self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # `Tree.render_line` asks for `rich_style` (a walk over every ancestor's styles) at
        # each line; it cannot change within one render.
        self._line_style = self.rich_style
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """`Tree.render_line`, with the style computed once per render (`render_lines`)."""
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(
            y + scroll_y, scroll_x, scroll_x + self.size.width, self._line_style
        )

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # `ScrollView` compares the virtual size the compositor passes with its own, which
        # never match, so every layout anywhere on the screen repaints this widget's
        # scrollbars (a millisecond or two each). Nothing changed, nothing to update.
        sizes = (size, virtual_size, container_size, self.virtual_size)
        if sizes == self._sizes_seen:
            return False
        self._sizes_seen = sizes
        return super()._size_updated(size, virtual_size, container_size, layout)

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


def _label(name: str, count: int) -> Text:
    """A node's label: its name, then its count, dimmed."""
    plain = f"{name} ({count})"
    return Text(plain, spans=[Span(len(name), len(plain), "dim")])
