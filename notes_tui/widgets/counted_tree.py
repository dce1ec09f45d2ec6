"""A `Tree` of scopes that draws each node's entry count after its name, as lines are drawn."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Self

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Span, Text, TextType
from textual import events
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode


@dataclass(frozen=True, slots=True)
class Scope:
    """What a tree node stands for: some releases (or all), and maybe one area."""

    releases: frozenset[int] | None = None
    """The positions of the releases it covers, or None for every release."""
    area_key: str | None = None
    """The area key, or None for every area."""
    label: str = field(default="All", compare=False)
    """How the node is named (not part of its identity)."""


Counts = Mapping[tuple[int | None, str | None], int]
"""Entry counts by `(release position, area key)`, either part None for all; missing keys 0."""

DIM = Style(dim=True)
"""How a count is shown after its node's name."""


class _CountStyles(NamedTuple):
    """The component styles a count's cells combine, looked up once per render."""

    highlight_line: Style
    label: Style
    highlight: Style
    cursor: Style


class CountedNode(TreeNode[Scope]):
    """A node of a `CountedTree`: its label is its name, then its count under the filter.

    Only the name is stored; the count is read from the tree's counts when the label is
    asked for, so that a new filter changes no node.
    """

    @property
    def label(self) -> TextType:
        """The name and, once the tree has counts, the count: `Security (12)`."""
        tree = self._tree
        return tree.label_of(self) if isinstance(tree, CountedTree) else self._label

    @label.setter
    def label(self, new_label: TextType) -> None:
        self.set_label(new_label)


class CountedTree(Tree[Scope]):
    """A tree of scopes whose nodes show, after their names, how many entries they hold.

    Each node's count is computed when its line is drawn (or its label asked for), and
    drawn after the name Textual's `Tree` renders and caches: a new filter repaints only the
    lines shown whose count changed, and no node is relabelled.
    """

    def __init__(
        self,
        label: str,
        data: Scope | None = None,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        # Before `Tree.__init__`, which may already lay the lines out (and ask their widths).
        self._counts: Counts | None = None
        """The counts shown (None before the first `set_counts`: names only)."""
        self._known: dict[TreeNode[Scope], int] = {}
        """The count of each node asked about since `_counts` was set."""
        super().__init__(label, data=data, id=id, classes=classes)
        self._line_style = Style()
        """`rich_style`, computed once per render (see `render_lines`)."""
        self._count_styles: _CountStyles | None = None
        """The styles counts are drawn in, computed once per render (see `_render_line`)."""

    def _add_node(
        self,
        parent: TreeNode[Scope] | None,
        label: Text,
        data: Scope | None,
        expand: bool = False,
    ) -> TreeNode[Scope]:
        # `Tree._add_node`, making `CountedNode`s.
        node = CountedNode(self, parent, self._new_id(), label, data, expanded=expand)
        self._tree_nodes[node._id] = node
        self._updates += 1
        return node

    def clear(self) -> Self:
        """`Tree.clear`, the new root a `CountedNode` too."""
        super().clear()
        old = self.root
        self.root = CountedNode(self, None, old._id, old._label, old.data, expanded=old._expanded)
        self._known = {}
        return self

    @staticmethod
    def _count(scope: Scope, counts: Counts) -> int:
        if scope.releases is None:
            return counts.get((None, scope.area_key), 0)
        return sum(counts.get((position, scope.area_key), 0) for position in scope.releases)

    def count_of(self, node: TreeNode[Scope]) -> int | None:
        """How many entries a node holds under the current filter (None before any counts).

        Args:
            node: A node of this tree.

        Returns:
            The count, or None.
        """
        counts, scope = self._counts, node.data
        if counts is None or scope is None:
            return None
        count = self._known.get(node)
        if count is None:
            count = self._known[node] = self._count(scope, counts)
        return count

    def label_of(self, node: TreeNode[Scope]) -> Text:
        """A node's label as shown: its name, then its count, dimmed (the name too at 0).

        Args:
            node: A node of this tree.

        Returns:
            The label.
        """
        count = self.count_of(node)
        return node._label if count is None else _label(node._label.plain, count)

    def set_counts(self, counts: Counts) -> None:
        """Show how many entries each node holds under the current filter.

        Counts are computed as lines are drawn; here only the lines shown whose count
        changed are repainted.

        Args:
            counts: Entry counts by `(release position, area key)`, either part None for
                all; missing keys count 0.
        """
        shown = self._known
        self._counts, self._known = counts, {}
        lines = self._tree_lines_cached
        if not shown or lines is None or not self.is_mounted:
            self.refresh()
            return
        scroll_y, width = self.scroll_offset.y, self.size.width
        changed = [
            Region(0, line_no - scroll_y, width, 1)
            for line_no in range(scroll_y, min(len(lines), scroll_y + self.size.height))
            if shown.get(lines[line_no].node) != self.count_of(lines[line_no].node)
        ]
        if changed:
            self.refresh(*changed)

    def _on_resize(self, event: events.Resize) -> None:
        # `Tree._on_resize` invalidates the tree, which lays the whole screen out again: one
        # more frame, some 10 ms, after the tree is first sized or a scrollbar comes or goes.
        # Its lines do not depend on its size, and its line cache is keyed by width: drawing
        # them again is enough.
        event.prevent_default()
        self._line_cache.grow(event.size.height)
        self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # `Tree.render_line` asks for `rich_style` (a walk over every ancestor's styles) at
        # each line; it cannot change within one render.
        self._line_style = self.rich_style
        self._count_styles = None
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """`Tree.render_line`, with the style computed once per render (`render_lines`)."""
        scroll_x, scroll_y = self.scroll_offset
        return self._render_line(
            y + scroll_y, scroll_x, scroll_x + self.size.width, self._line_style
        )

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """`Tree._render_line` (which caches each line: guides, icon, name), then the count.

        The count's cells are styled as `Tree` styles a label's: the line's style, then the
        label's own (`dim` here), then the component styles, then the node's meta.
        """
        lines = self._tree_lines
        count = self.count_of(lines[y].node) if y < len(lines) else None
        if count is None:
            return super()._render_line(y, x1, x2, base_style)
        line = lines[y]
        node = line.node
        named = super()._render_line(y, 0, sys.maxsize, base_style)
        name_end = line._get_guide_width(self.guide_depth, self.show_root) + self._name_width(node)
        styles = self._count_styles
        if styles is None:
            styles = self._count_styles = _CountStyles(
                self.get_component_rich_style("tree--highlight-line"),
                self.get_component_rich_style("tree--label", partial=True),
                self.get_component_rich_style("tree--highlight", partial=True),
                self.get_component_rich_style("tree--cursor", partial=False),
            )
        is_hover = self.hover_line >= 0 and any(node._hover for node in line.path)
        line_style = (styles.highlight_line if is_hover else base_style) + Style(meta={"line": y})
        label_style = styles.label
        if self.hover_line == y:
            label_style += styles.highlight
        if self.cursor_line == y:
            label_style += styles.cursor
        text = f" ({count})"
        if count:
            segments = [segment for segment in named.crop(0, name_end) if segment.text]
        else:
            # Nothing there under the filter: the name is dimmed too (`_label`), so the eye
            # goes to the nodes that hold entries (a version range leaves most releases empty).
            name_start = name_end - node._label.cell_len
            segments = [
                *named.crop(0, name_start),
                *Segment.apply_style(named.crop(name_start, name_end), post_style=DIM),
            ]
            segments = [segment for segment in segments if segment.text]
        segments.append(
            Segment(text, line_style + DIM + label_style + Style(meta={"node": node._id}))
        )
        # Padded to the tree's width as `Tree` pads (`line_pad`: nothing when it is too long).
        # `render_line` asks for the tree's width: x2 - x1.
        end = name_end + len(text)
        pad = max(self.virtual_size.width, x2 - x1) - end
        if pad:
            segments.append(Segment(" " * pad, line_style))
        return Strip(segments, end + max(0, pad)).crop(x1, x2)

    def _name_width(self, node: TreeNode[Scope]) -> int:
        """The cells of a node's icon and name, as `Tree.render_label` draws them."""
        icon = ""
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        return cell_len(icon) + node._label.cell_len

    def get_label_width(self, node: TreeNode[Scope]) -> int:
        """The width of a node's label as drawn, without drawing it (asked for every line)."""
        count = self.count_of(node)
        return self._name_width(node) + (0 if count is None else cell_len(f" ({count})"))


def _label(name: str, count: int) -> Text:
    """A node's label: its name, then its count, dimmed (the name too when the count is 0)."""
    plain = f"{name} ({count})"
    return Text(plain, spans=[Span(len(name) if count else 0, len(plain), "dim")])
