"""The footer: Textual's `Footer`, drawn the same, without rebuilding its keys at every change."""

from __future__ import annotations

from typing import NamedTuple

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from notes_tui.widgets.sizing import SizedWithoutRelayout


class ShownKey(NamedTuple):
    """A binding as the footer shows it."""

    binding: Binding
    enabled: bool
    tooltip: str


class _Key(FooterKey, SizedWithoutRelayout):
    """`FooterKey`, sized by its first layout without asking for a second one.

    The footer and its keys arrive just after the first frame: a second layout of the
    screen, for the sizes the first one just gave, would cost one more frame before every
    pane is painted.
    """


class KeyFooter(Footer, SizedWithoutRelayout):
    """Textual's `Footer`, minus the rebuilds.

    `Footer` removes and mounts all its key widgets whenever the screen's bindings may have
    changed: focus moves, `refresh_bindings`, the screen resuming. That is five or six
    rebuilds before the first frame, and one at many cursor moves (the open and copy keys
    come and go with the highlighted entry), ten milliseconds or more each time.

    This footer lays its keys out in its first compose, with a key widget for every binding
    the focused widget's chain could show; those whose `check_action` says False are
    hidden (`display: none`, so they take no room, as if absent). When the keys to show
    change within that set, it shows, hides, dims and undims widgets in place, drawing what
    `Footer.compose` would draw; anything else (the focus moved to the filter bar, a keymap
    changed) rebuilds it as `Footer` does. Binding groups are left to `Footer`.
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        # The screen's state is ready when the footer is composed: no need to wait for the
        # first `bindings_changed`.
        self.set_reactive(Footer._bindings_ready, True)
        self._layout: tuple[Binding, ...] | None = None
        """The bindings the key widgets stand for, in order; None when `Footer` composed."""
        self._check_pending = False

    def _candidates(self) -> tuple[Binding, ...]:
        """The bindings that could be shown now, as `active_bindings` orders them when every
        action is available: the first binding of each action, shown ones only."""
        by_key: dict[str, Binding] = {}
        for _namespace, bindings in self.screen._modal_binding_chain:
            for key, binding in bindings:
                existing = by_key.get(key)
                if existing is None or (binding.priority and not existing.priority):
                    by_key[key] = binding
        by_action: dict[str, Binding] = {}
        for binding in by_key.values():
            if binding.show:
                by_action.setdefault(binding.action, binding)
        return tuple(by_action.values())

    def _shown(self) -> dict[str, ShownKey]:
        """What `Footer.compose` would show: the first shown binding of each action."""
        shown: dict[str, ShownKey] = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show:
                shown.setdefault(binding.action, ShownKey(binding, enabled, tooltip))
        return shown

    def _fits(self, layout: tuple[Binding, ...], shown: dict[str, ShownKey]) -> bool:
        """Whether the shown keys are some of the laid out ones, in the same order."""
        position = 0
        for key in shown.values():
            while position < len(layout) and layout[position] != key.binding:
                position += 1
            if position == len(layout) or key.binding.group is not None:
                return False
            position += 1
        return True

    def compose(self) -> ComposeResult:
        self._layout = None
        if not self._bindings_ready:
            return
        layout, shown = self._candidates(), self._shown()
        if not self._fits(layout, shown):
            yield from super().compose()
            return
        self._layout = layout
        self.styles.grid_size_columns = len(shown)
        for binding in layout:
            key = shown.get(binding.action)
            # Exactly what `Footer.compose` yields for a binding outside any group.
            widget = _Key(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=key is None or not key.enabled,
                tooltip=key.tooltip if key is not None else binding.tooltip,
            ).data_bind(compact=Footer.compact)
            _preset_compact(widget, self.compact)
            widget.display = key is not None
            yield widget
        yield from self._palette_key()

    def _palette_key(self) -> ComposeResult:
        """The command palette's key, as `Footer.compose` yields it."""
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return
        found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if found is not None:
            _node, binding, enabled, _tooltip = found
            widget = _Key(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )
            # `Footer` binds no `compact` here: the key keeps `FooterKey`'s default, True.
            _preset_compact(widget, True)
            yield widget

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._check_pending:
            # One check, however many changes are published before it; before the next
            # frame, so that the keys dim or undim in the frame that shows the change.
            self._check_pending = True
            self.call_next(self._update_keys)

    async def _update_keys(self) -> None:
        self._check_pending = False
        if not self.is_attached:
            return
        layout, shown = self._candidates(), self._shown()
        if layout != self._layout or not self._fits(layout, shown) or not self._update(shown):
            await self.recompose()

    def _update(self, shown: dict[str, ShownKey]) -> bool:
        """Show, hide, dim and undim the key widgets in place.

        Returns:
            False when the widgets do not match the layout (then nothing was changed).
        """
        widgets = list(self.query_children(FooterKey))
        keys = [widget for widget in widgets if not widget.has_class("-command-palette")]
        assert self._layout is not None
        if [widget.action for widget in keys] != [binding.action for binding in self._layout]:
            return False
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if len(widgets) - len(keys) != (palette is not None):
            return False
        for widget in widgets:
            if widget.has_class("-command-palette"):
                visible, enabled = True, palette is not None and palette.enabled
            else:
                key = shown.get(widget.action)
                visible, enabled = key is not None, key is not None and key.enabled
                if key is not None and key.tooltip and widget.tooltip != key.tooltip:
                    widget.tooltip = key.tooltip
            if widget.display != visible:
                widget.display = visible
            if widget._disabled == enabled:
                widget._disabled = not enabled
                widget.set_class(not enabled, "-disabled")
        self.styles.grid_size_columns = len(shown)
        return True


def _preset_compact(key: FooterKey, compact: bool) -> None:
    """Give a key widget its `compact` value and class before it is mounted.

    Otherwise it takes its default (True) as it mounts, then the footer's (False) through
    `data_bind`: each change of its `-compact` class restyles the widget, about a
    millisecond per key as the footer appears.
    """
    key.set_reactive(FooterKey.compact, compact)
    key.set_class(compact, "-compact", update=False)
