"""The filter bar: an input that reports the query once typing pauses."""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
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
        self._applied: str | None = None
        """The query last posted (`QueryChanged`)."""
        self._held: list[events.Key] | None = None
        """Keys that reached the bar after `Done` was posted (None: not leaving)."""

    @on(Input.Changed)
    def _debounce(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._emit)

    def _emit(self) -> None:
        self._timer = None
        # Only a new query (spaces around it change nothing): the `Changed` of keys typed
        # just before `enter` may come after its `flush`, and the space `/` adds is no new
        # term; applying the same query again would put the list's cursor back.
        if self._applied is None or self.value.strip() != self._applied.strip():
            self._applied = self.value
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

    async def action_submit(self) -> None:
        """Apply the query and go back to the list (`Input` would post `Submitted`)."""
        self._done()

    def action_leave(self) -> None:
        self._done()

    def action_clear_filter(self) -> None:
        self.value = ""
        self._done()

    def _done(self) -> None:
        """Apply the query and post `Done`; keys that reach the bar meanwhile are held.

        Keys typed right behind `enter` (fast, or pasted, while the app is busy) were handed
        to the bar, which still had the focus: they belong to the list the user is going
        back to, after the query applies. The screen takes them with `release_held`.
        """
        self.flush()
        self._held = []
        self.post_message(self.Done())

    async def _on_key(self, event: events.Key) -> None:
        if self._held is not None or event.key == "enter":
            event.stop()
            event.prevent_default()
            if self._held is not None:
                self._held.append(event)
            else:
                # Here, in turn with the keys before and after it: `Input`'s binding would
                # run only once the key has bubbled up to the app, after the keys behind it.
                self._done()
            return
        await super()._on_key(event)

    def release_held(self) -> list[events.Key]:
        """End leaving: return the keys held since `Done` (in order) and hold no more.

        Returns:
            The keys, for the screen to hand out again once the list has the focus.
        """
        held, self._held = self._held or [], None
        return held
