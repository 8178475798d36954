"""The event vocabulary: every kind of event a case journal holds, with a payload validator.

``validate(kind, payload)`` returns a normalised copy of the payload (strings stripped, optional
fields filled with their defaults) or raises :class:`InputError` naming the field. Validators check
*shape* only (types, dates, choices, required text); whether the protocol allows the event now is
the job of :mod:`meldcode_tui.domain.rules`.

Dates are ISO ``YYYY-MM-DD`` strings; timestamps ISO 8601 UTC with ``Z``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from ...meldcode_tui_shim import _ if False else None  # pragma: no cover  (placeholder, replaced below)
