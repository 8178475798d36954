"""Export format types. The renderers themselves live in ``meldcode_tui.exports`` (built-in)
or in third-party plugins; this module only defines the contract between them and the app.

A plugin returns :class:`ExportFormat` objects from its ``meldcode_export_formats`` hook. The
service calls ``fmt.render(request)`` with an :class:`ExportRequest` and writes the bytes it
returns to ``<case id>.<extension>``.

Nothing here imports pluggy, textual or the domain at runtime.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # types only: plugins/ never depends on the domain at runtime
    from ..domain.case import CaseState, Event

FORMAT_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
# An extension is part of a file name the app writes: letters and digits, optionally in parts
# ("tar.gz"); a slash or "..", which would put the file elsewhere, never.
EXTENSION_PATTERN = re.compile(r"^[a-z0-9]{1,10}(\.[a-z0-9]{1,10}){0,2}$")


@dataclass(frozen=True)
class ExportRequest:
    """Everything a renderer may use. ``events`` is the case's journal (seq order; erased
    payloads are ``None``); ``journal_ref`` is ``"SEQ:HASH16"``, the seq and the first 16 hex
    digits of the hash of the export's own journal event (e.g. ``"42:3f9a0c1d2e4b5a67"``);
    ``exported_at`` is ISO 8601 UTC with ``Z``."""

    case: "CaseState"
    events: "list[Event]"
    journal_ref: str
    exported_at: str
    actor: str
    school: str = ""
    # The bytes of the case's attachments by the seq of their ``attachment_added`` event; only
    # the ``toml`` transfer carries them (other renderers list attachments from the events).
    attachments: "dict[int, bytes] | None" = None
    # Part 1 of the melding (Melder): name, function, school, phone, email of who exports.
    reporter: "dict | None" = None
    # Linked cases of the same family this user may see: case_id, relation, pupil_name, date_of_birth.
    linked: "list[dict] | None" = None
    # For a family format: one ExportRequest per linked sibling case (see ExportFormat.family).
    family: "list[ExportRequest] | None" = None
    # The loaded signal catalogues by id (to name a recorded signal's category, age group or
    # the catalogue's own wording); None when the export ran without plugins.
    catalogues: "dict[str, Any] | None" = None


@dataclass(frozen=True)
class ExportFormat:
    """One way to export a case.

    name:        stable, lowercase id used on the command line (``meldcode export --format NAME``)
    title:       Dutch title shown in the TUI's export menu
    extension:   file extension without the dot (``"md"``, ``"toml"``, ``"txt"``)
    media_type:  e.g. ``"text/markdown"``
    render:      ``render(request: ExportRequest) -> bytes`` (bytes, never ``str``: a
                 renderer chooses its own encoding; ``str`` is refused as a broken contract)
    """

    name: str
    title: str
    extension: str
    media_type: str
    render: Callable[[ExportRequest], bytes] = field(compare=False)
    description: str = ""
    # True: the export also covers the linked siblings' cases this user may see; their
    # requests arrive in ``ExportRequest.family`` and each of those cases journals the export too.
    family: bool = False


def validate_export_format(fmt: Any) -> list[str]:
    """Reasons (Dutch) why ``fmt`` is not a usable :class:`ExportFormat`; empty when fine."""
    from ..i18n import _

    if not isinstance(fmt, ExportFormat):
        return [_("geen ExportFormat-object maar {kind}", kind=type(fmt).__name__)]
    reasons = []
    if not isinstance(fmt.name, str) or not FORMAT_NAME_PATTERN.match(fmt.name):
        reasons.append(_("ongeldige formaatnaam {value!r} (kleine letters, cijfers, '_' of '-')", value=fmt.name))
    for key in ("title", "extension", "media_type"):
        value = getattr(fmt, key)
        if not isinstance(value, str) or not value.strip():
            reasons.append(_("formaat {name!r}: '{key}' ontbreekt of is geen tekst", name=fmt.name, key=key))
    if isinstance(fmt.extension, str) and fmt.extension.startswith("."):
        reasons.append(_("formaat {name!r}: extensie zonder punt opgeven", name=fmt.name))
    elif isinstance(fmt.extension, str) and fmt.extension.strip() \
            and not EXTENSION_PATTERN.match(fmt.extension):
        reasons.append(_("formaat {name!r}: extensie {value!r} mag alleen kleine letters en cijfers "
                         "hebben (zoals 'md' of 'tar.gz')", name=fmt.name, value=fmt.extension[:20]))
    if not callable(fmt.render):
        reasons.append(_("formaat {name!r}: 'render' is niet aanroepbaar", name=fmt.name))
    return reasons
