"""Keys are handled one after the other, each with all its effects, in the order they were typed.

Why: nothing typed may be lost (found driving the app in tmux). Textual hands a key to
the focused widget's own queue and goes on to the next key at once. A widget's bindings (Enter
in a field, Space in a list, Tab to the next field) run only when the key has gone up through
the screen and come back to the app's queue - behind the keys that arrived with it. When one
terminal read brings several keys (typing ahead over SSH on a slow line, tmux, a burst), the
next key went to the field the cursor was about to leave:

- "Sanne<Tab>01-09-2016" put the date in the name field;
- four names each with Enter in the zorgteam form became one person;
- Enter and Space in the signal search added a space to the search instead of ticking;
- Ctrl+S (a priority key, carried out at once) saved a form before the characters typed just
  before it were in;
- keys typed while a form was opening went to no field.

How. The app lets one key through at a time. Text typed into the field that has the cursor goes
straight on (that field's own queue keeps it in order, and it ends there); any other key first
lets that text be in. After handing a key on, the app follows it through
the queues it can reach: the focused widget, each container up to the screen, then the app's
own queue (where the key's bindings run), three rounds, so what the key set off (a "submitted"
message, a screen that opens and places its cursor) is done too. Keys that arrive meanwhile wait
in order. If a key's rounds cannot finish (a widget closed mid-way), a timer armed while keys
wait lets them go on after ``KEY_STALL_LIMIT`` seconds: the keyboard is never left dead. The cost is a few queue passes per
key (well under a millisecond on the benchmark machine's cursor moves, see bench/).
"""

from __future__ import annotations

from collections import deque


class KeysInOrder:
    """Mixed into the App, before ``App`` itself."""

    KEY_ROUNDS = 3
    KEY_STALL_LIMIT = 5.0

    def _key_state(self) -> dict:
        state = self.__dict__.get("_keys_in_order")
        if state is None:
            state = self.__dict__["_keys_in_order"] = {"waiting": deque(), "busy": 0, "token": 0}
        return state

    @property
    def keys_pending(self) -> bool:
        """A key is being handled or waiting (for tests and the benchmark)."""
        state = self._key_state()
        return bool(state["busy"] or state["waiting"])

    async def on_event(self, event) -> None:
        from textual import events

        if isinstance(event, events.Paste) and not event.is_forwarded:
            event = self._cleaned_paste(event)
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            state = self._key_state()
            if state["busy"] or state["waiting"]:
                self._wait_in_line(event)
                return
            typing = state.get("typing")
            if self._is_text_for(event, typing):
                # Text into the field that has the cursor: its own queue keeps the order, and
                # it stops the key there (no binding, nothing moves): no need to follow it.
                state["typing"] = self.focused
                await super().on_event(event)
                return
            if typing is not None:
                # Anything else after typed text: first let the text (and what it set off, a
                # search or a suggestion) be in, then this key.
                self._wait_in_line(event)
                self._settle_typing()
                return
            await self._deliver_key(event)
            return
        await super().on_event(event)

    def _cleaned_paste(self, event):
        """Pasted text loses its control and bidi characters here, and says so: an ESC or a
        CSI in a pasted note would otherwise reach the field (where a form refuses it only at
        saving, or the terminal reorders what the person sees)."""
        from textual import events

        from ..i18n import _
        from ..text_safety import describe, remove_controls

        cleaned, removed = remove_controls(event.text)
        if not removed:
            return event
        codes = ", ".join(dict.fromkeys(describe(ch) for ch in removed))
        self.notify(_("Uit de geplakte tekst zijn {n} stuurteken(s) verwijderd ({codes}); de "
                      "rest staat in het veld.", n=len(removed), codes=codes),
                    severity="warning", timeout=8)
        return events.Paste(cleaned)

    def _is_text_for(self, event, typing) -> bool:
        from textual import events
        from textual.widgets import Input, TextArea

        focused = self.focused
        if not isinstance(focused, (Input, TextArea)) or (typing is not None and focused is not typing):
            return False
        return isinstance(event, events.Paste) or bool(event.is_printable)

    def _wait_in_line(self, event) -> None:
        state = self._key_state()
        state["waiting"].append(event)
        if not state.get("watch"):
            state["watch"] = True
            self.set_timer(self.KEY_STALL_LIMIT, lambda t=state["busy"]: self._key_watch(t))

    async def _deliver_key(self, event) -> None:
        state = self._key_state()
        if self._is_text_for(event, None):
            state["typing"] = self.focused          # followed when something else comes
            await super().on_event(event)
            return
        state["token"] += 1
        token = state["token"]
        state["busy"] = token
        await super().on_event(event)          # priority bindings, else to the focused widget
        self._follow_key(token, self.KEY_ROUNDS)

    def _follow_key(self, token: int, rounds: int) -> None:
        chain = []
        node = self.focused or self.screen
        while node is not None and node is not self:
            chain.append(node)
            node = node.parent
        self._key_hop(token, chain, 0, rounds)

    def _key_hop(self, token: int, chain: list, index: int, rounds: int) -> None:
        if self._key_state()["busy"] != token:
            return                              # given up on (stalled) or done
        while index < len(chain):
            if chain[index].call_later(self._key_hop, token, chain, index + 1, rounds):
                return
            index += 1                          # closed: nothing of this key left in it
        self.call_later(self._key_round_done, token, rounds)

    async def _key_round_done(self, token: int, rounds: int) -> None:
        state = self._key_state()
        if state["busy"] != token:
            return
        if rounds > 1:
            self._follow_key(token, rounds - 1)
            return
        state["busy"] = 0
        await self._next_key()

    async def _next_key(self) -> None:
        state = self._key_state()
        while state["waiting"] and not state["busy"]:
            event = state["waiting"][0]
            if self._is_text_for(event, state.get("typing")):
                state["waiting"].popleft()
                state["typing"] = self.focused
                await super().on_event(event)
            elif state.get("typing") is not None:
                self._settle_typing()               # the text first; this key stays first in line
            else:
                state["waiting"].popleft()
                await self._deliver_key(event)

    def _settle_typing(self) -> None:
        state = self._key_state()
        state["typing"] = None
        state["token"] += 1
        state["busy"] = state["token"]
        self._follow_key(state["token"], self.KEY_ROUNDS)

    async def _key_watch(self, token: int) -> None:
        """Armed while keys wait: the key being handled when it was armed has not finished
        within the limit (a widget closed mid-way): let the waiting keys go on."""
        state = self._key_state()
        state["watch"] = False
        if state["busy"] and state["busy"] == token:
            state["busy"] = 0
            await self._next_key()
        if state["waiting"] and not state["watch"]:
            state["watch"] = True
            self.set_timer(self.KEY_STALL_LIMIT, lambda t=state["busy"]: self._key_watch(t))
