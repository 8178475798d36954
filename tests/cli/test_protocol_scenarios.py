"""Scenario tests as CLI sessions (`case new` / `case record` / `case show --json`) for the places
where the protocol could steer a real case wrong: acute help that is no melding, the warning before
a conversation with the parents, who decides, the melding as Veilig Thuis uses it, and the
re-report cycle. Real SQLite file, the same service and rules as the TUI.

Sources: the school's protocol (/work/shared/meldcode/, step 3 "gesprek", step 5 "melden"),
Veilig Thuis for professionals (https://vooreenveiligthuis.nl/professional/: the melding is made at
Veilig Thuis by phone 0800-2000 or with its form; feedback within 5 working days and at the end)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from .test_case_record import Session, ago, steps_one_to_three

TODAY = date.today()


def dob(years: int) -> str:
    return (TODAY.replace(year=TODAY.year - years) - timedelta(days=30)).isoformat()


@pytest.fixture
def cli(db_path):
    return Session(db_path)


def test_nine_year_old_112_at_step_one_still_needs_the_melding(cli):
    """112 at step 1: the child is safe now, but Veilig Thuis has heard nothing. The first open
    point is to report to Veilig Thuis today; the case cannot close until that melding is on record."""
    cid = cli.new("--name", "Noah Jansen (fictief)", "--dob", dob(9))
    cli.rec(cid, "acute_report", fmt="json", input=json.dumps({
        "on": ago(0), "reported_to": ["emergency_112"], "by_whom": "Aandachtsfunctionaris (fictief)",
        "agreed": "Ambulance en politie komen naar school",
        "child_safety": "Kind blijft bij de leerkracht tot de hulp er is"}))
    data = cli.show(cid)
    assert data["status"] == "acuut"
    first = data["open_points"][0]
    assert first["code"] == "melding_after_acute" and first["due"] == ago(0)
    assert first["text"].startswith("Meld vandaag ook bij Veilig Thuis")
    assert not any(p["rule"] == "vt_feedback_due" for p in data["open_points"])
    for grounds in ("reported", "other"):
        r = cli.rec(cid, "case_closed", f"grounds={grounds}", "reason=Politie heeft het overgenomen",
                    ok=False)
        assert r.exit_code == 1 and "acute_help_not_a_melding" in r.stderr
    r = cli.rec(cid, "vt_feedback_recorded", f"on={ago(0)}", "outcome=Onderzoek", ok=False)
    assert r.exit_code == 1 and "vt_feedback_needs_report" in r.stderr
    # The melding at Veilig Thuis by phone, the same day: one record.
    cli.rec(cid, "acute_report", f"on={ago(0)}", "reported_to=veilig_thuis_phone",
            "by_whom=Aandachtsfunctionaris (fictief)", "agreed=Veilig Thuis komt vandaag langs",
            "child_safety=Kind is bij de politie")
    data = cli.show(cid)
    assert data["status"] == "gemeld"
    assert not any(p["code"] == "melding_after_acute" for p in data["open_points"])
    assert any(p["rule"] == "vt_feedback_due" for p in data["open_points"])
    # Still no closing before Veilig Thuis's final feedback and the school's evaluation.
    r = cli.rec(cid, "case_closed", "grounds=reported", "reason=Veilig Thuis heeft het overgenomen", ok=False)
    assert r.exit_code == 1 and "close_reported_needs_outcome" in r.stderr
    steps_one_to_three(cli, cid)


def test_fourteen_year_old_honour_related_violence_warns_before_the_parents(cli):
    """A catalogue signal of honour-related violence: the open points warn before any conversation
    with the parents and ask to consult Veilig Thuis; step 3 proposes the exception 'geen gesprek met
    de ouders' (veiligheid); a conversation with the parents is refused until Veilig Thuis is
    consulted, and the proposed exception lets step 3 close without it."""
    cid = cli.new("--name", "Yara Demir (fictief)", "--dob", dob(14), "--parent", "Ouder Demir (fictief):vader")
    cli.rec(cid, "signal_recorded", fmt="json", input=json.dumps({
        "description": "Vertelt dat de familie een partner voor haar heeft gekozen",
        "observed_on": ago(5), "observed_by": "mentor", "source": "own",
        "catalogue": {"catalogue_id": "meldcode-basis", "signal_id": "mb-0120"}}))
    data = cli.show(cid)
    assert data["signals"][0]["catalogue"]["conversation_danger"] is True   # from the category flag
    warn = [p for p in data["open_points"] if p["code"] == "conversation_danger"]
    assert warn and "voer nog geen gesprek met de ouders" in warn[0]["text"]
    assert warn[0]["rule"] == "conversation_danger_consult_vt"
    cli.rec(cid, "step_completed", "step=1")
    cli.rec(cid, "consultation_recorded", "kind=colleague", "with_whom=IVP Fictief",
            f"on={ago(4)}", "question=Hoe duiden we dit?", "advice=Niet met de ouders praten")
    cli.rec(cid, "care_team_set", "members=" + json.dumps([
        {"role": r, "name": f"{r} (fictief)"} for r in
        ("leerkracht", "interne_vertrouwenspersoon", "ondersteuningscoach", "schoolleider")]))
    cli.rec(cid, "step_completed", "step=2")
    data = cli.show(cid)
    proposed = [p for p in data["open_points"] if p["rule"] == "conversation_danger_consult_vt"
                and p["action"] == "record_exception"]
    assert proposed and "geen gesprek met de ouders" in proposed[0]["text"]
    assert not any(p["rule"] == "step3_conversation_parents" for p in data["open_points"])
    # Before any conversation with the parents: refused, with what to do instead.
    r = cli.rec(cid, "conversation_recorded", fmt="json", input=json.dumps({
        "on": ago(3), "participants": ["parents"], "purpose_explained": True, "facts_presented": True,
        "reaction_invited": True, "interpretation_after_reaction": True, "summary": "Gesprek met vader"}),
        ok=False)
    assert r.exit_code == 1 and "conversation_danger_consult_vt" in r.stderr and "Veilig Thuis" in r.stderr
    cli.rec(cid, "conversation_recorded", fmt="json", input=json.dumps({
        "on": ago(3), "participants": ["pupil"], "purpose_explained": True, "facts_presented": True,
        "reaction_invited": True, "interpretation_after_reaction": True,
        "parents_informed_beforehand": True, "summary": "Gesprek met Yara"}))
    cli.rec(cid, "consultation_recorded", "kind=veilig_thuis_advice", "with_whom=Veilig Thuis",
            f"on={ago(2)}", "anonymous=ja", "question=Jongere vertelt over een gekozen partner",
            "advice=Niet met de ouders praten; melden")
    cli.rec(cid, "exception_recorded", "exception=no_conversation_parents", "ground=safety",
            "reason=Gesprek met de ouders brengt de jongere in gevaar; Veilig Thuis adviseerde het niet")
    cli.rec(cid, "step_completed", "step=3")
    data = cli.show(cid)
    assert data["steps_completed"] == [1, 2, 3]
    assert not any(p["rule"] == "conversation_danger_consult_vt" for p in data["open_points"])


def test_re_report_starts_the_feedback_cycle_over(cli, db_path):
    """report -> first -> final -> evaluation 'zorgen blijven' -> new report: the feedback the
    form offers is the first one again, a final one is refused until then, and the case cannot
    close until the final feedback on the new report (and the school's evaluation)."""
    from meldcode_tui.domain.case import fold
    from meldcode_tui.domain.rules import feedback_stage_due
    from meldcode_tui.store import open_store

    def stage_offered():
        store = open_store(db_path)
        try:
            return feedback_stage_due(fold(store.case_events(cid)))
        finally:
            store.close()

    cid = cli.new("--name", "Sem Visser (fictief)", "--dob", dob(9), "--parent", "Ouder Visser (fictief):moeder")
    steps_one_to_three(cli, cid)
    cli.rec(cid, "weighing_answered", "question=1", "answer=yes", "reason=Signalen en gesprek wijzen erop")
    cli.rec(cid, "weighing_answered", "question=2", "answer=yes", "reason=Structureel onveilig thuis")
    cli.rec(cid, "step_completed", "step=4")
    cli.rec(cid, "pre_report_contact_recorded", f"on={ago(6)}", "with=parents",
            "explained=Wat een melding is", "reaction=Moeder begrijpt het")
    report = ("office=Veilig Thuis Regio (fictief)", "summary=Feiten uit stap 1",
              "reporter_disclosed_to_family=ja")
    cli.rec(cid, "report_made", f"on={ago(6)}", *report)
    assert stage_offered() == "first"
    cli.rec(cid, "vt_feedback_recorded", f"on={ago(5)}", "stage=first", "outcome=Onderzoek gestart")
    assert stage_offered() == "final"
    cli.rec(cid, "vt_feedback_recorded", f"on={ago(4)}", "stage=final", "outcome=Onderzoek afgerond")
    cli.rec(cid, "school_evaluation_recorded", f"on={ago(3)}", "concerns_remain=ja",
            "summary=Nieuwe blauwe plekken")
    cli.rec(cid, "pre_report_contact_recorded", f"on={ago(2)}", "with=parents",
            "explained=Dat de school opnieuw meldt", "reaction=Moeder is boos")
    cli.rec(cid, "report_made", f"on={ago(2)}", *report)
    assert stage_offered() == "first"
    r = cli.rec(cid, "vt_feedback_recorded", f"on={ago(1)}", "stage=final", "outcome=Klaar", ok=False)
    assert r.exit_code == 1 and "vt_final_after_first" in r.stderr
    close = ("grounds=reported", "reason=Veilig Thuis heeft de casus overgenomen")
    cli.rec(cid, "vt_feedback_recorded", f"on={ago(1)}", "stage=first", "outcome=Opnieuw in onderzoek")
    r = cli.rec(cid, "case_closed", *close, ok=False)
    assert r.exit_code == 1 and "close_reported_needs_outcome" in r.stderr
    assert stage_offered() == "final"
    cli.rec(cid, "vt_feedback_recorded", f"on={ago(0)}", "stage=final", "outcome=Jeugdbescherming ingezet")
    cli.rec(cid, "school_evaluation_recorded", f"on={ago(0)}", "concerns_remain=nee", "summary=Rust")
    cli.rec(cid, "case_closed", *close)
    data = cli.show(cid)
    assert data["closed"] and [f["stage"] for f in data["vt_feedback"]] == ["first", "final", "first", "final"]


SEED_TEAM = [{"role": "leerkracht", "name": "Juf Petra Hendriks (fictief)"},
             {"role": "interne_vertrouwenspersoon", "name": "Karin Dekker (fictief)"},
             {"role": "ondersteuningscoach", "name": "Mark Peters (fictief)"},
             {"role": "schoolleider", "name": "Ingrid van Dam (fictief)"}]


def _to_decision(cli, cid):
    steps_one_to_three(cli, cid)
    cli.rec(cid, "weighing_answered", "question=1", "answer=yes", "reason=Signalen en gesprek wijzen erop")
    cli.rec(cid, "weighing_answered", "question=2", "answer=no", "reason=Niet acuut of structureel onveilig")
    cli.rec(cid, "step_completed", "step=4")
    cli.rec(cid, "weighing_answered", "question=3", "answer=yes", "reason=School en wijkteam kunnen helpen")
    cli.rec(cid, "weighing_answered", "question=4", "answer=yes", "reason=Ouders werken mee")


def test_the_seed_zorgteam_records_its_decision(cli, tmp_path):
    """Seen: the seed's zorgteam (schoolleider, interne vertrouwenspersoon, ondersteuningscoach) was
    refused with 'geen aandachtsfunctionaris of coördinator'. The protocol says the zorgteam decides:
    its members with their roles are accepted; one person alone, or the teacher alone, is not."""
    cid = cli.new("--name", "Lotte Smit (fictief)", "--dob", dob(10))
    _to_decision(cli, cid)
    decision = ("report_needed=nee", "help_possible=ja", "reason=Hulp via het wijkteam is mogelijk")
    makers = [{"name": m["name"], "role": m["role"]} for m in SEED_TEAM if m["role"] != "leerkracht"]
    for alone in ([makers[0]], [{"name": SEED_TEAM[0]["name"], "role": "leerkracht"}]):
        r = cli.rec(cid, "decision_recorded", *decision, "decided_by=" + json.dumps(alone), ok=False)
        assert r.exit_code == 1 and "decision_makers" in r.stderr
    out = cli.rec(cid, "decision_recorded", *decision, "decided_by=" + json.dumps(makers), extra=["--print-json"])
    assert cli.show(cid)["decisions"][0]["help_possible"] is True
    from meldcode_tui.domain.case import fold
    from meldcode_tui.store import open_store

    store = open_store(cli.db)
    try:
        decided = fold(store.case_events(cid)).decision["decided_by"]
    finally:
        store.close()
    assert decided == makers and json.loads(out.stdout)["status"] == "open"
    # A school that lets only its intern begeleider and schoolleider decide (two at least).
    cfg = tmp_path / "config.toml"
    cfg.write_text('[zorgteam]\nroles = ["leerkracht", "intern_begeleider", "schoolleider"]\n'
                   'deciders = ["intern_begeleider", "schoolleider"]\nsecond_line = ["intern_begeleider"]\n'
                   'min_deciders = 2\n', encoding="utf-8")
    conf = ["--config", str(cfg)]
    cid = cli.new("--name", "Tim Bos (fictief)", "--dob", dob(11))
    _to_decision(cli, cid)
    r = cli.run(*conf, "case", "record", cid, "decision_recorded", *sum((["--set", d] for d in decision), []),
                "--set", "decided_by=" + json.dumps(makers), ok=False)
    assert r.exit_code == 1 and "decision_makers" in r.stderr
    ok = [{"name": "IB'er (fictief)", "role": "intern_begeleider"}, {"name": "Directeur (fictief)", "role": "schoolleider"}]
    r = cli.run(*conf, "case", "record", cid, "decision_recorded", *sum((["--set", d] for d in decision), []),
                "--set", "decided_by=" + json.dumps(ok))
    assert r.exit_code == 0, r.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('[zorgteam]\nmin_deciders = 0\n', encoding="utf-8")
    r = cli.run("--config", str(bad), "case", "show", cid, ok=False)
    assert r.exit_code != 0 and "min_deciders" in (r.stderr or r.output)


def test_melding_names_a_withheld_source_apart_and_checks_completeness(cli):
    """`meldcode export --format melding`: before the export, 'Is de melding compleet?' lists what
    Veilig Thuis asks that is missing (the pupil's address first); it never stops the export. A
    withheld source is named, with the reason, only in the part 'Niet bestemd voor het gezin'."""
    cid = cli.new("--name", "Noor Bakker (fictief)", "--dob", dob(13), "--parent", "Ouder Bakker (fictief):moeder")
    cli.rec(cid, "signal_recorded", "description=Buurvrouw hoorde geschreeuw en klappen",
            f"observed_on={ago(3)}", "observed_by=mentor", "source=other",
            "source_name=Buurvrouw Jansen (fictief)")
    cli.rec(cid, "source_withheld", "name=Buurvrouw Jansen (fictief)",
            "reason=Zij vreest voor haar eigen veiligheid als het gezin het hoort")
    r = cli.run("export", cid, "--format", "melding")
    assert "Is de melding compleet?" in r.stderr
    for gap in ("adres van de leerling", "geslacht van de leerling", "adres van ouder/verzorger 1",
                "wie het gezag heeft", "het gesprek vooraf"):
        assert gap in r.stderr, gap
    assert "Noor Bakker" not in r.stderr and "Buurvrouw Jansen" not in r.stderr   # no case content
    family_part, _sep, not_for_family = r.stdout.partition("## 6. Niet bestemd voor het gezin")
    assert "Buurvrouw Jansen" not in family_part and "Niet bestemd voor het gezin" in family_part
    assert "Buurvrouw Jansen (fictief)" in not_for_family and "eigen veiligheid" in not_for_family
    # The address and gender are fields of the case: corrected in, they are in the melding and the
    # check no longer lists them.
    opened = cli.show(cid)
    pupil = {"name": "Noor Bakker (fictief)", "date_of_birth": dob(13), "address": "Dorpsstraat 1, Ergens (fictief)",
             "gender": "female"}
    cli.rec(cid, "record_corrected", fmt="json", input=json.dumps({
        "target_seq": 1, "reason": "Adres en geslacht voor de melding aangevuld",
        "changes": {"pupil": pupil, "parents": [{"name": "Ouder Bakker (fictief)", "relation": "moeder",
                                                 "address": "Dorpsstraat 1, Ergens (fictief)"}]}}))
    assert opened["case_id"] == cid
    r = cli.run("export", cid, "--format", "melding")
    assert "adres van de leerling" not in r.stderr and "geslacht van de leerling" not in r.stderr
    assert "adres van ouder/verzorger 1" not in r.stderr and "wie het gezag heeft" in r.stderr
    assert "Dorpsstraat 1, Ergens (fictief)" in r.stdout and "meisje / vrouw" in r.stdout
    # Another format: no check.
    assert "Is de melding compleet?" not in cli.run("export", cid, "--format", "markdown").stderr
