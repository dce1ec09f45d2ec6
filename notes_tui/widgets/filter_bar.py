"""The filter bar: an input that reports the query once typing pauses."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

DEBOUNCE_SECONDS = 0.12
"""How long typing must pause before the filter applies."""


class FilterBar(Input):
    """Type a query; `enter` returns to the list, `escape` clears."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", id="filter-clear"),
        Binding("down", "leave", "To the list", show=False, id="filter-leave"),
    ]

    class QueryChanged(Message):
        """The query changed (after the debounce)."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    class Done(Message):
        """The user left the bar (`enter`): the list takes the focus back."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder='/ filter: words "a phrase" -not area:sec kind:fix #123',
            id=id,
            select_on_focus=False,
        )
        self._timer: Timer | None = None

    @on(Input.Changed)
    def _debounce(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._emit)

    def _emit(self) -> None:
        self._timer = None
        self.post_message(self.QueryChanged(self.value))

    def ready_for_more(self) -> None:
        """Put the cursor at the end, after a space when there is text: what is typed next is
        another term (`version:1.26..1.28 cve:2025`), not the end of the last one."""
        if self.value and not self.value[-1].isspace():
            self.value += " "
        self.cursor_position = len(self.value)

    def flush(self) -> None:
        """Apply the query now, without waiting for the debounce."""
        if self._timer is not None:
            self._timer.stop()
        self._emit()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.flush()
        self.post_message(self.Done())

    def action_leave(self) -> None:
        self.flush()
        self.post_message(self.Done())

    def action_clear_filter(self) -> None:
        self.value = ""
        self.flush()
        self.post_message(self.Done())
