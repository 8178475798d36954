"""The case file itself: corrections, closing and reopening, a source left out of the melding,
attachments and the journal."""

from __future__ import annotations

from ...domain.events import KINDS
from ...domain.kinds.case_file import CLOSE_GROUNDS, GENDERS
from ...domain.vocabulary import label as value_label
from ...domain.intent_fields import FIELDS
from ...errors import InputError
from ...i18n import _
from ...text_safety import safe_line
from ..forms import Field
from ..intent_form import YES_NO_UNKNOWN, open_form, selected_record
from ..labels import event_summary, field_label, kind_label
from . import register


@register("correct_record")
def correct_record(screen) -> None:
    seq, rec = selected_record(screen)
    spec = KINDS.get(rec.kind) if rec is not None else None
    if rec is None or spec is None or not spec.correctable:
        screen.app.notify(_("Kies eerst in de chronologie een regel die gecorrigeerd kan worden "
                            "(Tab naar de chronologie, dan K)."), severity="warning")
        return
    pairs = correction_fields(rec.kind, rec.payload)
    if not pairs:
        screen.app.notify(_("Aan deze vastlegging valt niets te corrigeren in een formulier; leg een "
                            "nieuwe vastlegging vast of een notitie met de juiste gegevens."),
                          severity="warning")
        return
    fields = [f for _k, f in pairs] + [Field("reason", _("Reden van de correctie"), kind="area",
                                            required=True)]

    def run(v):
        changes = {}
        for key, field in pairs:
            new = _form_value(field, v[field.name])
            if key.startswith(("pupil.", "parents.")):
                parts = key.split(".")
                holder = rec.payload.get(parts[0]) or ({} if parts[0] == "pupil" else [])
                try:
                    old = holder[int(parts[1])].get(parts[2]) if parts[0] == "parents" else holder.get(parts[1])
                except (IndexError, ValueError, AttributeError):
                    old = None
            else:
                old = rec.payload.get(key)
            if field.kind == "multi":
                same = sorted(new or []) == sorted(old or [])
            else:
                same = new == old or (new in ("", None) and old in ("", None))
            if not same:
                changes[key] = new
        if not changes:
            raise InputError(_("Er is niets gewijzigd."), field=pairs[0][1].name)
        if rec.kind == "case_opened":
            changes = _merge_nested(rec.payload, changes)
        return screen.app.svc.correct_record(screen.case_id, seq, changes, v["reason"])

    open_form(screen, _("Correctie van #{seq} ({kind})", seq=seq, kind=kind_label(rec.kind)), fields, run=run,
              intro=_("Een correctie overschrijft niets: het origineel blijft in het journaal. Was: {s}",
                      s=event_summary(rec.kind, rec.payload)[:120]),
              confirm=_("Deze correctie vastleggen? Ze blijft zichtbaar in het journaal."), start_at_first=True,
              form_id="form-correct")


_DATE_NAMES = ("on", "date_of_birth", "observed_on", "review_on", "due_on", "left_on", "since")


def correction_fields(kind: str, payload: dict) -> list[tuple[str, Field]]:
    """The fields a correction of one record may change, as the record was entered: in the
    order of its form, with Dutch labels, dates as dd-mm-jjjj and choices as selects (from the
    kind's field table, ``domain.intent_fields``), so that correcting looks like recording.
    Locked fields, structured values (lists, objects) and fields the record does not hold are
    not offered. Returns (payload key, form field) pairs."""
    spec = KINDS[kind]
    out: list[tuple[str, Field]] = []
    table = FIELDS.get(kind)
    if table is None:     # kinds recorded by their own act (the case opening): the payload's own
        if kind == "case_opened":
            out.extend(_pupil_detail_fields(payload))
        for k, v in payload.items():
            if k in spec.locked_fields or not isinstance(v, (str, bool)):
                continue
            if isinstance(v, bool):
                out.append((k, Field(f"c.{k}", field_label(k), kind="bool", default=v)))
            elif k in _DATE_NAMES or k.endswith("_on"):
                out.append((k, Field(f"c.{k}", field_label(k), kind="date", default=v or None)))
            else:
                out.append((k, Field(f"c.{k}", field_label(k), kind="area" if len(v) > 40 else "text",
                                     default=v)))
        return out
    for f in table:
        # Only what the record holds: the rules refuse a correction that adds a field.
        if f.name in spec.locked_fields or f.name not in payload:
            continue
        v = payload.get(f.name)
        name, lab = f"c.{f.name}", field_label(f.name)
        if f.type in ("text", "long_text") and (v is None or isinstance(v, str)):
            out.append((f.name, Field(name, lab, kind="area" if f.type == "long_text" else "text",
                                      default=v or "")))
        elif f.type == "date" and (v is None or isinstance(v, str)):
            out.append((f.name, Field(name, lab, kind="date", required=f.required, default=v or None)))
        elif f.type == "bool" and (v is None or isinstance(v, bool)):
            out.append((f.name, Field(name, lab, kind="bool", default=bool(v))))
        elif f.type == "bool_or_none":
            out.append((f.name, Field(name, lab, kind="tristate", options=YES_NO_UNKNOWN,
                                      default={True: "yes", False: "no"}.get(v, "unknown"))))
        elif f.type == "choice" and f.choices:
            options = [(c, value_label(c, f.name)) for c in f.choices]
            out.append((f.name, Field(name, lab, kind="choice", required=f.required, options=options,
                                      default=v if v in f.choices else None)))
        elif f.type == "choices" and f.choices and (v is None or isinstance(v, list)):
            options = [(c, value_label(c, f.name)) for c in f.choices]
            out.append((f.name, Field(name, lab, kind="multi", options=options, default=list(v or []))))
    return out


def _form_value(field: Field, value):
    """A form value back in the record's own terms (tristate → True/False/None)."""
    if field.kind == "tristate":
        return {"yes": True, "no": False}.get(value)
    return value


def _pupil_detail_fields(payload: dict) -> list[tuple[str, Field]]:
    """What Veilig Thuis's meldformulier asks about the child and the parents that the case opening
    may lack: the pupil's address and gender, each parent's address ("Is de melding compleet?").
    Keys ``pupil.<field>`` and ``parents.<n>.address`` are merged into their object on save."""
    pupil = payload.get("pupil") or {}
    out = [("pupil.address", Field("c.pupil.address", _("Adres van de leerling"), default=pupil.get("address", ""))),
           ("pupil.gender", Field("c.pupil.gender", _("Geslacht van de leerling"), kind="choice",
                                  options=[(g, value_label(g, "gender")) for g in GENDERS],
                                  default=pupil.get("gender") or None))]
    for i, parent in enumerate(payload.get("parents") or []):
        out.append((f"parents.{i}.address", Field(
            f"c.parents.{i}.address", _("Adres van {name}", name=safe_line(str(parent.get("name") or i + 1))),
            default=parent.get("address", ""))))
    return out


def _merge_nested(payload: dict, changes: dict) -> dict:
    """``pupil.x`` / ``parents.n.address`` changes as whole ``pupil`` / ``parents`` values."""
    import copy

    out = {k: v for k, v in changes.items() if not k.startswith(("pupil.", "parents."))}
    for key, value in changes.items():
        if key.startswith("pupil."):
            pupil = out.setdefault("pupil", copy.deepcopy(payload.get("pupil") or {}))
            if value in ("", None):
                pupil.pop(key.split(".", 1)[1], None)
            else:
                pupil[key.split(".", 1)[1]] = value
        elif key.startswith("parents."):
            parents = out.setdefault("parents", copy.deepcopy(payload.get("parents") or []))
            i = int(key.split(".")[1])
            if value in ("", None):
                parents[i].pop("address", None)
            else:
                parents[i]["address"] = value
    return out


@register("close_or_reopen")
def close_or_reopen(screen) -> None:
    if screen.state is not None and screen.state.closed:
        reopen_case(screen)
    else:
        close_case(screen)


def _close_grounds() -> list[tuple[str, str]]:
    return [(g, value_label(g, "grounds")) for g in CLOSE_GROUNDS]


@register("close_case")
def close_case(screen) -> None:
    fields = [
        Field("grounds", _("Grond"), kind="choice", required=True, options=_close_grounds()),
        Field("reason", _("Reden"), kind="area", required=True),
        Field("monitoring_agreements", _("Afspraken over het volgen van de veiligheid"), kind="area"),
        Field("new_school", _("Nieuwe school (bij verhuisd)")),
    ]

    def run(v):
        return screen.app.svc.close_case(screen.case_id, v["grounds"], v["reason"],
                                         v["monitoring_agreements"], new_school=v.get("new_school", ""))

    open_form(screen, _("Casus sluiten"), fields, run=run, precheck_kind="case_closed",
              confirm=_("De casus sluiten? Heropenen kan later, met een reden."), form_id="form-close")


@register("reopen_case")
def reopen_case(screen) -> None:
    fields = [Field("reason", _("Reden"), kind="area", required=True)]
    open_form(screen, _("Casus heropenen"), fields, "case_reopened",
              run=lambda v: screen.app.svc.reopen_case(screen.case_id, v["reason"]), form_id="form-reopen")


@register("withhold_source")
def withhold_source(screen) -> None:
    """``d``: leave a colleague's or source's name out of the melding (with a reason)."""
    from ...exports.common import case_facts
    from ...exports.melding import named_people

    names = named_people(case_facts(screen.app.svc.journal(screen.case_id)))
    if not names:
        screen.app.notify(_("Er staan nog geen namen van collega's of bronnen in deze casus."), severity="warning")
        return
    fields = [Field("name", _("Niet noemen in de melding"), kind="choice", required=True,
                    options=[(n, safe_line(n)) for n in names]),
              Field("reason", _("Waarom niet noemen"), kind="area", required=True,
                    help=_("Bijvoorbeeld: de bron vreest voor de eigen veiligheid of de vertrouwensrelatie."))]
    open_form(screen, _("Bron of collega niet noemen in de melding"), fields, "source_withheld",
              intro=_("Veilig Thuis kan de melding laten inzien door de ouders en door kinderen vanaf 12 jaar. "
                      "De naam blijft in het dossier; in de melding staat hij met de reden in het deel "
                      "'Niet bestemd voor het gezin', elders een verwijzing daarheen."),
              form_id="form-withhold")


@register("attachments")
def attachments(screen) -> None:
    from ..attachments import AttachmentsScreen

    screen.app.push_screen(AttachmentsScreen(screen.case_id))


@register("journal")
def journal(screen) -> None:
    from ..journal_screen import JournalScreen

    screen.app.push_screen(JournalScreen(screen.case_id))
