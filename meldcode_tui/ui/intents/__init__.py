"""One entry per service intent: which form (or screen) records it from the case screen.

The builders live by area (one module per part of the protocol, the same names as in
``domain/kinds`` and ``domain/rules``) and register themselves with ``register``; the case
screen's keys name intents, and ``start`` looks them up here.
"""

from __future__ import annotations

from typing import Callable

from ...i18n import _
from ..intent_form import STAFF_ROUTE_INTENTS

HANDLERS: dict[str, Callable] = {}


def register(name: str) -> Callable[[Callable], Callable]:
    """Make the decorated builder the handler of intent ``name`` (each name once)."""
    def add(handler: Callable) -> Callable:
        if name in HANDLERS:
            raise ValueError(f"intent {name!r} registered twice")
        HANDLERS[name] = handler
        return handler
    return add


def start(screen, name: str, **kwargs) -> None:
    """Open the form for intent ``name`` on the case screen ``screen``."""
    handler = HANDLERS.get(name)
    if handler is None:
        screen.app.notify(_("Deze handeling is (nog) niet beschikbaar in de app."), severity="warning")
        return
    state = getattr(screen, "state", None)
    if state is not None and getattr(state, "staff_route", False) and name not in STAFF_ROUTE_INTENTS:
        # Say so before the form opens: nothing typed would be accepted on this route.
        from ...domain.rules import check
        from ...errors import RuleViolation

        try:
            check(state, "signal_recorded", {}, screen.app.today(),
                  policy=screen.app.svc.care_team_policy)
        except RuleViolation as exc:
            screen.app.notify(f"{exc.message}\n→ {exc.hint}" if exc.hint else exc.message,
                              title=_("Andere route"), severity="warning", timeout=12)
            return
        except Exception:  # noqa: BLE001 - let the form and the service decide
            pass
    handler(screen, **kwargs)


# The areas register their builders on import; they need ``register`` (and the menus ``start``)
# defined above, hence the imports at the end.
from . import (case_file, consultation, conversations, family, help, privacy, reporting,  # noqa: E402
               signals, staff_route, transfer, weighing)

AREAS = (case_file, signals, consultation, conversations, weighing, help, reporting, staff_route, family,
         transfer, privacy)
