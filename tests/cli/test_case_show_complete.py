"""One read: ``meldcode case show --json`` carries every field of every record, compared field by
field with the record kinds ``meldcode case kinds --json`` names. Before, it left out a
conversation's four elements and ``parents_informed_beforehand``, a signal's ``disclosure`` and
every body mark, all of which the toml export carries."""

from __future__ import annotations

import json
from datetime import date

from click.testing import CliRunner

from meldcode_tui.cli import main
from tests.exports.conftest import TEACHER, build_full_case, make_service


def _build(db) -> str:
    """A case with as many record kinds as the rules allow on one case (fictional data)."""
    svc = make_service(db, actor="test-coordinator")
    cid = build_full_case(svc)
    svc.clock.set(date(2026, 3, 14))
    seq = svc.record_signal(cid, description="Sanne vertelt zelf dat papa haar slaat (fictief).",
                            observed_on="2026-03-13", observed_by=TEACHER, source="own",
                            injury=True, disclosure=True).signals[-1].seq
    svc.record(cid, "body_mark_recorded", {"signal_seq": seq, "region": "arm_left", "what": "bruise",
                                           "size": "3 cm", "colour": "blauw", "observed_on": "2026-03-13",
                                           "observed_by": TEACHER, "note": "Rond, drukplek (fictief)."})
    svc.record_exception(cid, "no_conversation_parents", "safety",
                         "Een gesprek met vader brengt Sanne nu in gevaar (fictief).")
    svc.record(cid, "acute_report", dict(
        on="2026-03-14", reported_to=["veilig_thuis_phone"], by_whom="Aandachtsfunctionaris (fictief)",
        agreed="Veilig Thuis belt vandaag terug", child_safety="Sanne blijft op school tot er contact is",
        reference="VT-0002"))
    follow = svc.agree_follow_up(cid, "Moeder bellen over de afspraak (fictief).", "2026-03-20",
                                 "Intern begeleider").follow_ups[-1].seq
    svc.record(cid, "follow_up_done", {"target_seq": follow, "on": "2026-03-14", "notes": "Gebeld (fictief)."})
    svc.record_vt_feedback(cid, on="2026-03-14", outcome="Veilig Thuis doet onderzoek (fictief).",
                           notes="Contactpersoon: mevrouw Jansen (fictief).", stage="first")
    member = svc.add_household_member(cid, name="Opa de Vries (fictief)", relation="other", relation_detail="opa",
                                      phone="06-00000000", language="Nederlands",
                                      lives_with_pupil=False).household_records[-1].seq
    svc.record(cid, "household_member_left", {"target_seq": member, "reason": "Verhuisd naar elders."})
    pro = svc.add_professional(cid, name="Wijkteam Noord (fictief)", organisation="Wijkteam",
                               role="gezinscoach", contact="wijkteam@example.invalid",
                               since="2026-01-01").professional_records[-1].seq
    svc.record(cid, "professional_ended", {"target_seq": pro, "reason": "Traject afgerond."})
    svc.record(cid, "source_withheld", {"name": "Buurvrouw (fictief)",
                                        "reason": "Zij vreest voor haar eigen veiligheid als het gezin het hoort."})
    svc.record(cid, "school_evaluation_recorded", dict(
        on="2026-03-14", concerns_remain=False, summary="De school volgt Sanne wekelijks (fictief).",
        agreements="Wekelijks gesprek met de mentor."))
    svc.store.close()
    return cid


def test_case_show_json_has_every_field_of_every_kind(db_path):
    cid = _build(db_path)
    runner = CliRunner()
    kinds = {k["kind"]: k for k in json.loads(runner.invoke(main, ["case", "kinds", "--json"]).stdout)}
    shown = runner.invoke(main, ["--db", str(db_path), "case", "show", cid, "--json"])
    assert shown.exit_code == 0, shown.output
    summary = json.loads(shown.stdout)
    records = {r["seq"]: r for r in summary["records"]}
    # Every list of the summary shows the same records, with every field too.
    listed: dict[int, dict] = {}
    for key, value in summary.items():
        for item in (value if isinstance(value, list) else [value] if isinstance(value, dict) else []):
            if isinstance(item, dict) and isinstance(item.get("seq"), int) and key != "records":
                listed.setdefault(item["seq"], {}).update(item)
    from meldcode_tui.store import open_store

    store = open_store(db_path)
    events = [e for e in store.case_events(cid) if e.kind in kinds]
    store.close()
    covered, missing = set(), []
    for ev in events:
        rec = records[ev.seq]
        assert rec["kind"] == ev.kind
        for field in kinds[ev.kind]["fields"] or ():
            name = field["name"]
            if name not in ev.payload:
                continue
            covered.add((ev.kind, name))
            want = json.loads(json.dumps(ev.payload[name]))
            changed = {k for c in rec.get("corrections", []) for k in c["changes"]}
            if name not in rec["payload"] or (name not in changed and rec["payload"][name] != want):
                missing.append(f"records #{ev.seq} {ev.kind}.{name}")
            if ev.kind in ("signal_recorded", "conversation_recorded", "body_mark_recorded",
                           "decision_recorded", "report_made", "acute_report", "exception_recorded") \
                    and name not in listed.get(ev.seq, {}):
                missing.append(f"list entry #{ev.seq} {ev.kind}.{name}")
    assert not missing, missing
    # What the issue found missing, and the breadth of the case.
    for kind, name in [("conversation_recorded", "purpose_explained"), ("conversation_recorded", "facts_presented"),
                       ("conversation_recorded", "reaction_invited"),
                       ("conversation_recorded", "interpretation_after_reaction"),
                       ("conversation_recorded", "parents_informed_beforehand"),
                       ("signal_recorded", "disclosure"), ("body_mark_recorded", "region"),
                       ("body_mark_recorded", "note")]:
        assert (kind, name) in covered, (kind, name)
    assert len({k for k, _n in covered}) >= 20, sorted({k for k, _n in covered})


def test_case_show_text_has_every_field(db_path):
    cid = _build(db_path)
    out = CliRunner().invoke(main, ["--db", str(db_path), "case", "show", cid]).stdout
    assert "Vastleggingen (alle velden):" in out
    for words in ("Rond, drukplek (fictief).", "wijkteam@example.invalid", "VT-0002",
                  "Zij vreest voor haar eigen veiligheid"):
        assert words in out, words
    assert "None" not in out
