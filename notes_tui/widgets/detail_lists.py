"""Lists in the detail pane, drawn by one widget each.

Textual's Markdown lists mount four widgets per item (a row, the bullet, a column, the
paragraph): a list of eleven items is 45 widgets to mount and lay out each time the cursor
reaches its entry. A list whose items hold only paragraphs (nearly every list in release
notes) is drawn here by the list's own widget instead: each item's bullet, then its
paragraphs wrapped beside it, as Textual draws them. Any other list (nested lists, code or
quotes in items) is left to Textual's widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rich.style import Style as RichStyle
from textual.app import ComposeResult
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets._markdown import (
    MarkdownBulletList,
    MarkdownList,
    MarkdownListItem,
    MarkdownOrderedList,
    MarkdownParagraph,
)
from textual.widgets.markdown import MarkdownBlock

from notes_tui.widgets.sizing import SizedWithoutRelayout, update_static

BULLET_STYLE = "$text-primary"
"""The bullets' colour, as Textual's `MarkdownBullet` has it."""

Item = tuple[Content, Sequence[Content]]
"""A list item: its bullet (or number) and its paragraphs."""


class ItemsVisual(Visual):
    """List items: each bullet, with the item's paragraphs wrapped to the right of it."""

    def __init__(self, items: Sequence[Item]) -> None:
        self._items = items
        self._indent = max((bullet.cell_length for bullet, _ in items), default=0)

    def _body_width(self, width: int) -> int:
        return max(1, width - self._indent)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._indent + max(
            (
                paragraph.get_optimal_width(rules, container_width)
                for _, paragraphs in self._items
                for paragraph in paragraphs
            ),
            default=0,
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        body = self._body_width(width)
        return sum(
            max(1, sum(paragraph.get_height(rules, body) for paragraph in paragraphs))
            for _, paragraphs in self._items
        )

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        # A selection is given in the whole visual's coordinates: not the paragraphs'.
        options = replace(options, selection=None, selection_style=None)
        # Blank cells have the background only, as Textual pads a widget's lines.
        base = RichStyle(bgcolor=style.rich_style.bgcolor)
        body = self._body_width(width)
        # Below a bullet, blank cells in the bullet's colour, as Textual's bullet widget has.
        bullet_colour = (style + options.get_style(BULLET_STYLE)).rich_style.color
        blank = Strip.blank(self._indent, RichStyle(color=bullet_colour, bgcolor=base.bgcolor))
        lines: list[Strip] = []
        for bullet, paragraphs in self._items:
            head = Strip.join(bullet.render_strips(self._indent, 1, style, options))
            head = head.crop_extend(0, self._indent, base)
            strips = [
                strip
                for paragraph in paragraphs
                for strip in paragraph.render_strips(body, None, style, options)
            ] or [Strip.blank(body, base)]
            for index, strip in enumerate(strips):
                beside = strip.crop_extend(0, body, base)
                lines.append(Strip.join([head if index == 0 else blank, beside]))
        return lines if height is None else lines[:height]


def items_visual(listed: MarkdownList) -> ItemsVisual | None:
    """A list's items drawn as one visual, or None if an item holds more than paragraphs.

    Bullets are the items' own (Textual picks them by depth); numbers count from the first
    item's, right-aligned, as Textual numbers them.
    """
    items: list[tuple[str, list[Content]]] = []
    for item in listed._blocks:
        if not isinstance(item, MarkdownListItem):
            return None
        paragraphs = []
        for inner in item._blocks:
            if not isinstance(inner, MarkdownParagraph):
                return None
            paragraphs.append(inner._content)
        items.append((item.bullet, paragraphs))
    bullets = [bullet for bullet, _ in items]
    if isinstance(listed, MarkdownOrderedList):
        try:
            start = int(bullets[0]) if bullets else 1
        except ValueError:
            start = 1
        numbers = [f"{number}. " for number in range(start, start + len(items))]
        size = max((len(number) for number in numbers), default=0) + 1
        bullets = [number.rjust(size) for number in numbers]
    return ItemsVisual(
        [
            (Content.styled(bullet, BULLET_STYLE), paragraphs)
            for bullet, (_, paragraphs) in zip(bullets, items, strict=True)
        ]
    )


def draw_alone(listed: MarkdownList) -> bool:
    """Before a list is composed: draw it by itself if its items hold only paragraphs.

    Returns:
        Whether it is drawn alone (it then has no children to compose).
    """
    visual = items_visual(listed)
    if visual is None:
        return False
    listed._blocks.clear()
    listed.update(visual)
    return True


def redraw(shown: MarkdownList, fresh: Sequence[MarkdownBlock]) -> bool:
    """Draw another list's items (a list just parsed, not mounted) in a list drawn alone.

    Returns:
        Whether it could: one list of the same kind, its items holding only paragraphs.
    """
    if len(fresh) != 1 or type(fresh[0]) is not type(shown):
        return False
    assert isinstance(fresh[0], MarkdownList)
    visual = items_visual(fresh[0])
    if visual is None:
        return False
    update_static(shown, visual)
    return True


class DetailBulletList(MarkdownBulletList, SizedWithoutRelayout):
    """A bullet list, drawn alone when its items hold only paragraphs (`draw_alone`)."""

    drawn_alone = False
    """Whether the list is drawn by this widget alone (else by Textual's item widgets)."""

    def compose(self) -> ComposeResult:
        self.drawn_alone = draw_alone(self)
        return iter(()) if self.drawn_alone else super().compose()


class DetailOrderedList(MarkdownOrderedList, SizedWithoutRelayout):
    """An ordered list, drawn alone when its items hold only paragraphs (`draw_alone`)."""

    drawn_alone = False
    """Whether the list is drawn by this widget alone (else by Textual's item widgets)."""

    def compose(self) -> ComposeResult:
        self.drawn_alone = draw_alone(self)
        return iter(()) if self.drawn_alone else super().compose()
