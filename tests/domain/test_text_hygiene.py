"""Text hygiene at the door: every text field of every kind refuses C0/C1 control characters
(newline/tab only in free text) and Unicode bidi controls, and is bounded.

Abuse: a pupil's name with ``ESC ] 0 ; … BEL`` rewrote a colleague's terminal title; a CR or a
bidi override (U+202E) makes a line read differently from what is stored ("evil.exe" shown as
"exe.live"); a 10 MB paste bloats the journal and every screen that shows it."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meldcode_tui.domain.events import KINDS, validate
from meldcode_tui.domain.payload import MULTILINE_FIELDS
from meldcode_tui.errors import InputError
from meldcode_tui.text_safety import BIDI_CONTROLS, LONG_MAX, SHORT_MAX

D = "2026-09-01"
LONG = "Een zin van voldoende lengte om als reden te gelden."
SAMPLES = {
    "case_opened": {"pupil": {"name": "Sanne de Vries (fictief)", "date_of_birth": "2016-04-03",
                              "group": "5b", "pupil_number": "777"},
                    "parents": [{"name": "Ouder (fictief)", "relation": "moeder"}],
                    "owner": "anouk", "note": "Notitie"},
    "case_viewed": {"purpose": "bekijken"},
    "signal_recorded": {"description": "Blauwe plek", "observed_on": D, "observed_by": "Leerkracht",
                        "source": "other", "source_name": "Buurvrouw (fictief)",
                        "catalogue": {"catalogue_id": "meldcode-basis", "catalogue_version": "1",
                                      "signal_id": "x-1", "text": "Signaaltekst"}, "disclosure": True},
    "consultation_recorded": {"kind": "colleague", "with_whom": "IB'er", "on": D, "question": "Vraag",
                              "advice": "Advies"},
    "care_team_set": {"members": [{"role": "leerkracht", "name": "Juf (fictief)", "user": "juf"}]},
    "conversation_recorded": {"on": D, "participants": ["pupil"], "purpose_explained": True,
                              "facts_presented": True, "reaction_invited": True,
                              "interpretation_after_reaction": True, "parents_informed_beforehand": True,
                              "summary": "Samenvatting", "outcome": "Uitkomst",
                              "interpretation_not_needed": "Het kind gaf zelf de uitleg"},
    "exception_recorded": {"exception": "no_conversation_pupil", "ground": "safety", "reason": LONG},
    "step_completed": {"step": 1, "summary": "Afgerond"},
    "weighing_answered": {"question": 1, "answer": "yes", "reason": LONG},
    "decision_recorded": {"report_needed": True, "help_possible": False, "reason": LONG,
                          "decided_by": [{"name": "Anouk (fictief)", "role": "aandachtsfunctionaris"}]},
    "help_planned": {"description": "Hulp", "agreements": "Afspraken", "roles": "Rollen",
                     "case_manager": "Casusregisseur", "review_on": D, "results_expected": "Resultaat",
                     "starts_on": "2026-08-01", "goals": ["Op tijd op school"]},
    "help_reviewed": {"on": D, "results_reached": True, "violence_continues": False, "notes": "Notities",
                      "goal_results": [{"goal": 1, "reached": True, "note": "Elke dag op tijd"}]},
    "pre_report_contact_recorded": {"on": D, "with": ["parents"], "explained": "Uitgelegd",
                                    "reaction": "Reactie", "objections": "Bezwaren", "weighing": "Afweging"},
    "report_made": {"on": D, "office": "Veilig Thuis (fictief)", "reference": "VT-1", "summary": "Samenvatting",
                    "reporter_disclosed_to_family": True},
    "acute_report": {"on": D, "reported_to": ["veilig_thuis_phone"], "by_whom": "Anouk (fictief)",
                     "agreed": "Afgesproken", "child_safety": "Veilig bij oma", "reference": "VT-2"},
    "vt_feedback_recorded": {"on": D, "outcome": "Uitkomst", "notes": "Notities", "stage": "final"},
    "school_evaluation_recorded": {"on": D, "concerns_remain": False, "summary": "Samenvatting",
                                   "agreements": "Blijven volgen"},
    "staff_route_recorded": {"on": D, "record_type": "inspector_advice", "with_whom": "Inspectie (fictief)",
                             "summary": "Advies: aangifte doen"},
    "follow_up_agreed": {"description": "Afspraak", "due_on": D, "who": "Anouk"},
    "follow_up_done": {"target_seq": 3, "on": D, "notes": "Gedaan"},
    "staff_suspicion_routed": {"on": D, "routed_to": ["school_board"], "reason": LONG},
    "record_corrected": {"target_seq": 3, "changes": {"description": "Nieuw"}, "reason": LONG},
    "case_closed": {"grounds": "moved_away", "reason": LONG, "monitoring_agreements": "Afspraken",
                    "new_school": "OBS De Verre Verte (fictief)"},
    "case_reopened": {"reason": LONG},
    "case_exported": {"format": "markdown", "title": "Markdown", "journal_ref": "3:abc"},
    "case_imported": {"origin": {"school": "OBS (fictief)", "source_case_id": "MC-0003"}},
    "attachment_added": {"title": "Brief van de huisarts", "filename": "brief.pdf",
                         "media_type": "application/pdf", "size": 1234, "sha256": "ab" * 32},
    "attachment_fetched": {"target_seq": 7, "how": "ssh"},
    "household_member_added": {"name": "Petra Jansen (fictief)", "relation": "parent", "relation_detail": "moeder",
                               "gezag": "yes", "address": "Lindelaan 1", "phone": "06-00000000",
                               "language": "Pools"},
    "household_member_left": {"target_seq": 3, "reason": "Woont niet meer in het gezin"},
    "professional_added": {"name": "Sem Bakker (fictief)", "organisation": "Wijkteam Fictief",
                           "role": "gezinscoach", "contact": "06-22222222"},
    "professional_ended": {"target_seq": 4, "reason": "Hulp afgerond"},
    "case_linked": {"other_case": "MC-0002", "relation": "sibling"},
    "source_withheld": {"name": "Ilse Hoekstra (fictief)", "reason": "De buurvrouw vreest voor haar veiligheid."},
    "body_mark_recorded": {"signal_seq": 2, "region": "arm_left", "what": "bruise", "size": "3 cm",
                           "colour": "blauwgroen", "observed_on": "2026-09-01", "observed_by": "Juf (fictief)",
                           "note": "Drie vingervormige plekken"},
    "reference_recorded": {"source_case": "MC-0002", "source_seq": 5, "source_kind": "signal_recorded",
                           "note": "Geldt ook voor het broertje."},
    # people and access
    "user_added": {"name": "anouk", "display_name": "Anouk (fictief)", "role": "coordinator",
                   "os_user": "root"},
    "user_disabled": {"name": "anouk", "reason": "Vertrokken", "os_user": "root"},
    "user_enabled": {"name": "anouk", "os_user": "root"},
    "user_role_set": {"name": "anouk", "role": "member", "os_user": "root"},
    "user_key_added": {"name": "anouk", "fingerprint": "SHA256:abc", "key_type": "ssh-ed25519",
                       "os_user": "root"},
    "user_key_removed": {"name": "anouk", "fingerprint": "SHA256:abc", "os_user": "root"},
    "keys_written": {"file": "/srv/meldcode/.ssh/authorized_keys", "lines": 2, "os_user": "root"},
    "access_refused": {"action": "case_viewed", "case": "MC-0001", "role": "teacher"},
    "figures_viewed": {"scope": "school", "period": "2025-08..2026-07", "output": "text"},
    "training_recorded": {"name": "Karin Dekker (fictief)", "course": "Meldcode basis", "on": "2025-10-01"},
    "meldcode_evaluation_recorded": {"school_year": "2025-2026", "went_well": "Tekst", "to_improve": "Tekst",
                                     "hours_per_week": 4, "figures": {"Casussen geopend": "12"}},
    "concern_logged": {"pupil_name": "Sanne de Vries (fictief)", "group": "5b",
                       "signals": [{"description": "Blauwe plek", "observed_on": D,
                                    "source": "other", "source_name": "Buurvrouw (fictief)",
                                    "catalogue": {"catalogue_id": "meldcode-basis",
                                                  "catalogue_version": "1", "signal_id": "x-1",
                                                  "text": "Signaaltekst"}}]},
    "concern_taken": {"case": "MC-0001", "signal_seqs": [3]},
    "concern_answered": {"reason": "Geen zorg nu: besproken met ouders"},
    "notification_sent": {"recipient": "anouk", "items": ["MC-0001:help_review_due::2026-12-01"],
                          "channel": "mailtos"},
    "user_notify_set": {"name": "anouk", "channel": "mailtos://relay.school.example",
                        "os_user": "root"},
    # data protection
    "pupil_left": {"on": D, "note": "Verhuisd naar een andere gemeente (fictief)."},
    "pupil_gone_from_register": {"proposed_on": D, "reason": "gone", "source": "ParnasSys"},
    "overstap_exported": {"selection": [{"seq": 1, "kind": "case_opened", "basis": "Identificatie leerling"}],
                          "parents_informed_on": D, "parents_informed_how": "Gesprek met moeder",
                          "receiving_school": "CBS De Nieuwe School (fictief)"},
    "overstap_receipt": {"code": "ABCD-1234-EF56"},
    "overstap_received": {"origin_school": "OBS (fictief)", "source_case_id": "MC-0001",
                          "receipt_code": "ABCD-1234-EF56", "parents_informed_on": D,
                          "exception_reason": "", "records": [{"kind": "case_opened", "at": "2026-03-02",
                                                               "basis": "Identificatie leerling"}]},
    "case_erased": {"policy": "request", "rule": "Op verzoek (AVG art. 17)", "reason": LONG,
                    "requested_by": "Ouder met gezag (fictief)", "payloads": 3},
    "inzage_decided": {"requester": "parent_with_authority", "requester_name": "Ouder (fictief)",
                       "legal_basis": "AVG art. 15", "approved_by": "anouk", "decided_on": D,
                       "outcome": "partly_granted",
                       "withheld": [{"what": "Gesprek van 1 september", "why": LONG}],
                       "keep_identities": [{"name": "Leerkracht (fictief)", "why": LONG}],
                       "reason": LONG},
    "zienswijze_recorded": {"on": D, "by": "Ouders (fictief)", "zienswijze": "Wij zien het anders."},
}


def _leaves(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))
    elif isinstance(value, str):
        yield path


def _with(payload, path, new):
    out = copy.deepcopy(payload)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = new
    return out


def text_fields():
    """(kind, path, multiline) for every string leaf that takes free text (a choice or a date
    refuses 'Tekst (fictief)' anyway)."""
    out = []
    for kind, sample in SAMPLES.items():
        validate(kind, sample)  # the sample itself is valid
        for path in _leaves(sample):
            try:
                validate(kind, _with(sample, path, "Tekst (fictief)"))
            except InputError:
                continue
            name = str(path[-1])
            out.append((kind, path, name in MULTILINE_FIELDS or kind in ("record_corrected",)))
    return out


FIELDS = text_fields()
HOSTILE = st.sampled_from(sorted(
    {chr(c) for c in range(0x00, 0x20) if chr(c) not in "\t\n"} | {"\x7f"}
    | {chr(c) for c in range(0x80, 0xA0)} | set(BIDI_CONTROLS)))


def test_every_kind_has_a_sample_and_text_fields_were_found():
    assert set(SAMPLES) == set(KINDS), "add a valid sample payload for each new kind"
    assert len(FIELDS) >= 40


@settings(max_examples=300, deadline=None)
@given(field=st.sampled_from(FIELDS), bad=HOSTILE, before=st.text(max_size=5), after=st.text(max_size=5))
def test_control_and_bidi_characters_are_refused_in_every_text_field(field, bad, before, after):
    kind, path, _multiline = field
    payload = _with(SAMPLES[kind], path, f"Tekst{before}{bad}{after}")
    with pytest.raises(InputError) as err:
        validate(kind, payload)
    assert bad not in err.value.message   # the message names the field, never echoes the character


@pytest.mark.parametrize("field", [f for f in FIELDS if not f[2]], ids=lambda f: f"{f[0]}.{f[1]}")
def test_short_fields_are_single_line_and_bounded(field):
    kind, path, _ = field
    for bad in ("Twee\nregels", "Met\ttab"):
        with pytest.raises(InputError):
            validate(kind, _with(SAMPLES[kind], path, bad))
    with pytest.raises(InputError) as err:
        validate(kind, _with(SAMPLES[kind], path, "x" * (SHORT_MAX + 1)))
    assert str(SHORT_MAX) in err.value.message
    validate(kind, _with(SAMPLES[kind], path, "x" * SHORT_MAX))


@pytest.mark.parametrize("field", [f for f in FIELDS if f[2]], ids=lambda f: f"{f[0]}.{f[1]}")
def test_free_text_allows_lines_and_is_bounded(field):
    kind, path, _ = field
    validate(kind, _with(SAMPLES[kind], path, "Eerste regel van de tekst\n\tTweede regel van de tekst"))
    with pytest.raises(InputError) as err:
        validate(kind, _with(SAMPLES[kind], path, "x" * (LONG_MAX + 1)))
    assert "20000" in err.value.message or "20.000" in err.value.message or "20,000" in err.value.message


def test_message_names_the_field_in_dutch():
    payload = _with(SAMPLES["case_opened"], ("pupil", "name"), "Sanne\x1b]0;pwned\x07")
    with pytest.raises(InputError) as err:
        validate("case_opened", payload)
    assert "U+001B" in err.value.message and "\x1b" not in err.value.message
    assert err.value.field.endswith("name")
