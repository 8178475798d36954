"""The one import that loads every kind of record a journal holds.

Importing this module loads ``domain.kinds`` (every area's kinds) and the people's and the
notifications' kinds, so ``KINDS`` is complete; code that validates or lists kinds imports them
from here. The field checkers and the registry are in ``domain/payload.py``, each area's codes and
validators in ``domain/kinds/<area>.py``, the Dutch words in ``domain/vocabulary.py``.
"""

from __future__ import annotations

from . import kinds as _kinds  # noqa: F401 - registers every kind
from .payload import AUDIT_KINDS, KINDS, KindSpec, text_of, validate

__all__ = ["AUDIT_KINDS", "KINDS", "KindSpec", "text_of", "validate"]
