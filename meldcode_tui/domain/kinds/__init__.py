"""Every kind of record a journal holds, by area of the protocol: each module holds its area's
stored codes (option tuples) and payload validators and registers its kinds in
``domain.payload.KINDS``. Importing this package loads them all; the people's (admin, access,
concerns) and the notifications' kinds register themselves in their own domain modules."""

from __future__ import annotations

from .. import notify, people  # noqa: F401 - their kinds register on import
from . import (case_file, consultation, conversations, family, help, privacy,  # noqa: F401
               reporting, school, signals, staff_route, transfer, weighing)
