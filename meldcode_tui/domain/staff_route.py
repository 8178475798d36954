"""The other route: a suspicion against a member of staff.

When a member of staff is suspected (of a sexual offence against a pupil), the Meldcode is not the
route: staff tell the school board, which consults the vertrouwensinspecteur of the education
inspectorate and, on reasonable suspicion, reports to the police. A case opened with the flag
``staff_suspicion`` or routed with ``staff_suspicion_routed`` gets status "doorverwezen"; the
Meldcode intents are refused with an explanation, only the routing, follow-up agreements,
corrections, closing and viewing remain.
"""

from __future__ import annotations

STAFF_ALLOWED_KINDS = frozenset({
    "staff_suspicion_routed",
    "attachment_added",          # a letter or photo belongs to the file whatever the route
    "staff_route_recorded",      # the route's own record: facts, inspector's advice, board, outcome
    "follow_up_agreed",
    "follow_up_done",
    "record_corrected",
    "case_closed",
    "case_reopened",
    "case_viewed",
    "case_exported",
    "case_imported",
})
