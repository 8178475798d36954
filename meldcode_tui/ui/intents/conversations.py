"""Step 3: the conversation, and the exceptions with their reason."""

from __future__ import annotations

from ...domain.payload import MIN_EXCEPTION_REASON
from ...domain.rules import EXCEPTION_GROUNDS as ALLOWED
from ...domain.steps import danger_text
from ...i18n import _
from ..forms import Field
from ..intent_form import YES_NO_UNKNOWN, choice_options, open_form, today_iso
from ..labels import CONVERSATION_ELEMENTS, EXCEPTION_GROUNDS, EXCEPTIONS, PARTICIPANTS
from . import register


def conversation_danger(screen) -> bool:
    """A signal of sexual abuse, honour-related violence or FGM on record, and no conversation
    with the parents or exception for it yet: the forms warn and propose the exception."""
    state = getattr(screen, "state", None)
    return bool(state is not None and state.conversation_danger_signals
                and not state.exception("no_conversation_parents")
                and not any("parents" in c.get("participants", []) for c in state.conversations))


@register("record_conversation")
def record_conversation(screen) -> None:
    fields = [
        Field("on", _("Datum"), kind="date", required=True, default=today_iso(screen)),
        Field("participants", _("Met wie"), kind="multi", required=True, options=choice_options(PARTICIPANTS)),
        # The protocol's four elements as one list (a digit ticks one, "+" all): four separate
        # yes/no fields cost four Tabs and were left at their default.
        Field("elements", _("Zo gevoerd (1-4 of +: aanvinken)"), kind="multi",
              options=[(k, _(label)) for k, label in CONVERSATION_ELEMENTS],
              extra={"covers": [k for k, _l in CONVERSATION_ELEMENTS]}),
        Field("interpretation_not_needed", _("Of: waarom een interpretatie niet nodig was (\"zo nodig\")")),
        Field("parents_informed_beforehand", _("Ouders vooraf geïnformeerd (bij gesprek met de leerling)"),
              # No default: "onbekend" is refused for a talk with the pupil, and "ja" would
              # state a fact nobody checked: a default is only ever a value the rules accept.
              kind="tristate", options=YES_NO_UNKNOWN, default=None),
        Field("summary", _("Samenvatting"), kind="area", required=True),
        Field("outcome", _("Uitkomst"), kind="area"),
        Field("concern_removed", _("Het gesprek heeft de zorg weggenomen"), kind="bool"),
    ]

    def build(v):
        v = dict(v)
        ticked = set(v.pop("elements", None) or ())
        for key, _label in CONVERSATION_ELEMENTS:
            v[key] = key in ticked
        v["parents_informed_beforehand"] = {"yes": True, "no": False}.get(v["parents_informed_beforehand"])
        return v

    intro = ""
    if conversation_danger(screen):
        intro = danger_text()
    open_form(screen, _("Gesprek vastleggen (stap 3)"), fields, "conversation_recorded", build=build,
              intro=intro, form_id="form-conversation")


@register("record_exception")
def record_exception(screen, code: str | None = None) -> None:
    intro = _("Een uitzondering op de Meldcode mag alleen met een concrete, vastgelegde reden.")
    ground = reason = None
    if code is None and conversation_danger(screen):
        # Proposed (conversation_danger_consult_vt): the exception, its ground and a reason the
        # coordinator reads, adjusts and saves (or replaces).
        code, ground = "no_conversation_parents", "safety"
        reason = _("Er is een signaal van seksueel misbruik, eergerelateerd geweld of genitale "
                   "verminking; een gesprek met de ouders kan het kind of anderen in gevaar brengen.")
        intro = _("Voorstel: geen gesprek met de ouders (veiligheid). Pas de reden aan naar wat Veilig "
                  "Thuis adviseerde.")
    grounds = dict(choice_options(EXCEPTION_GROUNDS))
    # Every ground the form offers for an exception is one the rule accepts for it.
    by_exception = {exc: [(g, grounds.get(g, g)) for g in ALLOWED.get(exc, ())] for exc, _l in EXCEPTIONS}
    fields = [
        Field("exception", _("Uitzondering"), kind="choice", required=True, options=choice_options(EXCEPTIONS),
              default=code or None, extra={"options_for": ("ground", by_exception)}),
        Field("ground", _("Grond"), kind="choice", required=True,
              options=by_exception.get(code) or choice_options(EXCEPTION_GROUNDS), default=ground),
        Field("reason", _("Reden"), kind="area", required=True, default=reason,
              help=_("Concreet, in woorden (minstens drie woorden en {n} tekens): welke aanwijzing "
                     "maakt de uitzondering nodig?", n=MIN_EXCEPTION_REASON)),
        # Only for "melder niet bekendmaken": decided together with Veilig Thuis.
        Field("vt_agreed_by", _("Bij 'melder niet bekendmaken': wie bij Veilig Thuis gaf akkoord")),
        Field("vt_agreed_on", _("Bij 'melder niet bekendmaken': akkoord op"), kind="date"),
    ]
    open_form(screen, _("Uitzondering met reden vastleggen"), fields, "exception_recorded",
              intro=intro, form_id="form-exception")
