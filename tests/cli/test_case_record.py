"""Every intent on the command line. Scenario tests written as CLI sessions
(`case new` / `case record` / `case show --json`) on a real SQLite file through click's
CliRunner: the same service methods, rules and Dutch messages as the TUI.

Sources of the scenarios: the Basismodel meldcode (act at once on acute danger, before step 2)
and the afwegingskader onderwijs 2019 (Q2 yes or doubt: report now, answer 3-5 together with
Veilig Thuis)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from meldcode_tui.cli import main
from meldcode_tui.store import open_store

TODAY = date.today()


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


TEAM = json.dumps([
    {"role": "leerkracht", "name": "Juf Fictief", "user": "juf"},
    {"role": "interne_vertrouwenspersoon", "name": "IVP Fictief"},
    {"role": "ondersteuningscoach", "name": "Coach Fictief"},
    {"role": "schoolleider", "name": "Directeur Fictief"},
])


class Session:
    def __init__(self, db):
        self.db = str(db)
        self.runner = CliRunner()

    def run(self, *args, input=None, ok=True):
        result = self.runner.invoke(main, ["--db", self.db, *args], input=input)
        if ok:
            assert result.exit_code == 0, (args, result.output, result.stderr)
        return result

    def new(self, *args) -> str:
        out = self.run("case", "new", *args).stdout.strip()
        assert out.startswith("MC-") and "\n" not in out
        return out

    def rec(self, cid, kind, *sets, input=None, fmt=None, ok=True, extra=()):
        args = ["case", "record", cid, kind, *extra]
        for s in sets:
            args += ["--set", s]
        if fmt:
            args += [f"--{fmt}", "-"]
        return self.run(*args, input=input, ok=ok)

    def show(self, cid) -> dict:
        return json.loads(self.run("case", "show", cid, "--json").stdout)


@pytest.fixture
def cli(db_path):
    return Session(db_path)


def steps_one_to_three(cli, cid):
    cli.rec(cid, "signal_recorded", "description=Blauwe plekken op beide armen",
            f"observed_on={ago(10)}", "observed_by=juf", "source=own")
    cli.rec(cid, "step_completed", "step=1")
    cli.rec(cid, "consultation_recorded", "kind=colleague", "with_whom=IVP Fictief",
            f"on={ago(9)}", "question=Hoe duiden we de signalen?", "advice=Gesprek met ouders")
    cli.rec(cid, "care_team_set", f"members={TEAM}")
    cli.rec(cid, "step_completed", "step=2")
    cli.rec(cid, "conversation_recorded", fmt="toml", input=f"""
on = "{ago(8)}"
participants = ["pupil", "parents"]
purpose_explained = true
facts_presented = true
reaction_invited = true
interpretation_after_reaction = true
parents_informed_beforehand = true
summary = '''Gesprek met kind en moeder.
Moeder ontkent, kind zwijgt.'''
""")
    cli.rec(cid, "step_completed", "step=3")


def test_textbook_case_q2_doubt_decision_and_report_at_once(cli, db_path):
    cid = cli.new("--name", "Sanne de Vries (fictief)", "--dob", "2016-04-03", "--group", "groep 6",
                  "--number", "F-10", "--parent", "Ouder de Vries (fictief):moeder")
    steps_one_to_three(cli, cid)
    cli.rec(cid, "weighing_answered", "question=1", "answer=yes", "reason=Signalen en gesprek wijzen erop")
    cli.rec(cid, "weighing_answered", "question=2", "answer=doubt",
            "reason=Onduidelijk of het kind thuis veilig is")
    # Stap 4: "Bij twijfel moet altijd (opnieuw) advies worden gevraagd aan Veilig Thuis."
    cli.rec(cid, "consultation_recorded", "kind=veilig_thuis_advice", "with_whom=Veilig Thuis",
            f"on={ago(3)}", "anonymous=ja", "question=Twijfel over de veiligheid thuis",
            "advice=Melden; vragen 3 tot 5 samen met Veilig Thuis")
    # Afwegingskader onderwijs: doubt -> report now; the decision no longer waits for Q3.
    cli.rec(cid, "step_completed", "step=4")
    cli.rec(cid, "decision_recorded", "report_needed=ja", "help_possible=nee",
            "reason=Twijfel over de veiligheid: melden", "decided_by=" + json.dumps([
                {"name": "IVP Fictief", "role": "interne_vertrouwenspersoon"},
                {"name": "Directeur Fictief", "role": "schoolleider"}]))
    cli.rec(cid, "pre_report_contact_recorded", f"on={ago(2)}", "with=parents",
            "explained=Wat een melding is en waarom", "reaction=Moeder is boos maar begrijpt het")
    out = cli.rec(cid, "report_made", f"on={ago(1)}", "office=Veilig Thuis Regio (fictief)",
                  "summary=Feiten uit stap 1 en het gesprek", "reporter_disclosed_to_family=ja",
                  extra=["--print-json"])
    assert json.loads(out.stdout)["status"] == "gemeld"
    data = cli.show(cid)
    assert data["status"] == "gemeld" and len(data["reports"]) == 1
    assert data["decisions"][0]["report_needed"] is True
    assert "vt_feedback_due" in {p["rule"] for p in data["open_points"]}
    assert data["conversations"][0]["summary"].splitlines()[1] == "Moeder ontkent, kind zwijgt."
    store = open_store(db_path)
    try:
        assert store.verify().ok
        assert {e.actor for e in store.case_events(cid)} == {"test-coordinator"}
    finally:
        store.close()


def test_acute_case_at_step_one_then_steps_afterwards(cli):
    cid = cli.new("--name", "Noah Jansen (fictief)", "--dob", (TODAY.replace(year=TODAY.year - 9)
                                                               - timedelta(days=30)).isoformat())
    assert cli.show(cid)["pupil"]["age"] == 9
    cli.rec(cid, "acute_report", fmt="json", input=json.dumps({
        "on": ago(0), "reported_to": ["veilig_thuis_phone", "police"],
        "by_whom": "Aandachtsfunctionaris (fictief)", "agreed": "Veilig Thuis komt vandaag",
        "child_safety": "Kind blijft op school tot Veilig Thuis er is"}))
    data = cli.show(cid)
    assert data["status"] == "gemeld" and data["step"] == 1
    acute = {p["rule"] for p in data["open_points"] if p["code"].startswith("acute:")}
    assert {"step1_signals", "step2_care_team", "step4_weighing"} <= acute
    # The missing steps are completed afterwards, not refused.
    steps_one_to_three(cli, cid)
    cli.rec(cid, "weighing_answered", "question=1", "answer=yes", "reason=Eigen verhaal van het kind")
    cli.rec(cid, "weighing_answered", "question=2", "answer=yes", "reason=Acuut onveilig, meteen gemeld")
    cli.rec(cid, "step_completed", "step=4")
    data = cli.show(cid)
    assert data["steps_completed"] == [1, 2, 3, 4]
    assert not any(p["code"].startswith("acute:step") and not p["code"].startswith("acute:step5")
                   for p in data["open_points"])


def test_q2_yes_case_refused_closing_on_other(cli):
    cid = cli.new("--name", "Mila Bakker (fictief)", "--dob", "2015-01-01")
    steps_one_to_three(cli, cid)
    cli.rec(cid, "weighing_answered", "question=1", "answer=yes", "reason=Vermoeden blijft bestaan")
    cli.rec(cid, "weighing_answered", "question=2", "answer=yes", "reason=Structureel onveilig thuis")
    seq = cli.show(cid)["last_change_at"]
    assert seq
    result = cli.rec(cid, "case_closed", "grounds=other", "reason=Gezin lijkt het zelf op te lossen",
                     ok=False)
    assert result.exit_code == 1
    assert "close_unsafety_needs_report" in result.stderr and "→" in result.stderr
    assert not cli.show(cid)["closed"]
    # The same refusal as JSON, for scripts.
    result = cli.rec(cid, "case_closed", "grounds=other", "reason=Gezin lijkt het zelf op te lossen",
                     ok=False, extra=["--print-json"])
    err = json.loads(result.stderr)
    assert err["refused"] and err["rule"] == "close_unsafety_needs_report" and err["hint"]


def test_expect_seq_refuses_a_stale_write(cli, db_path):
    cid = cli.new("--name", "Daan Visser (fictief)", "--dob", "2014-05-05")
    out = cli.rec(cid, "signal_recorded", "description=Komt vaak hongerig op school",
                  f"observed_on={ago(3)}", "observed_by=juf", "source=own", extra=["--print-json"])
    seq = json.loads(out.stdout)["seq"]
    # Only a colleague's record makes the write stale (one's own never does).
    from meldcode_tui.service import CaseService

    colleague = CaseService(open_store(db_path), actor="collega", all_access=True)
    colleague.record_signal(cid, description="Kleding niet gewassen", observed_on=ago(2),
                            observed_by="meester", source="own")
    colleague.store.close()
    result = cli.rec(cid, "step_completed", "step=1", ok=False, extra=["--expect-seq", str(seq)])
    assert result.exit_code == 1 and "er is niets opgeslagen" in result.stderr
    assert "signal_recorded" in result.stderr and "collega" in result.stderr
    assert cli.show(cid)["steps_completed"] == []
    head = json.loads(cli.rec(cid, "step_completed", "step=1", extra=["--expect-seq", str(seq + 1),
                                                                     "--print-json"]).stdout)
    # seq + 2 is the view by 'case show' (an access-log entry): it does not make the write stale.
    assert head["seq"] == seq + 3


def test_input_errors_and_no_file_paths(cli, tmp_path):
    cid = cli.new("--name", "Eva de Boer (fictief)", "--dob", "2013-02-02")
    result = cli.rec(cid, "signal_recorded", "descriptoin=Typfout", ok=False)
    assert result.exit_code == 1 and "descriptoin" in result.stderr and "case kinds" in result.stderr
    result = cli.rec(cid, "signal_recorded", "description=Zonder datum", "observed_by=juf",
                     "source=own", ok=False)
    assert result.exit_code == 1 and "waargenomen op" in result.stderr
    payload = tmp_path / "payload.json"
    payload.write_text("{}")
    result = cli.run("case", "record", cid, "signal_recorded", "--json", str(payload), ok=False)
    assert result.exit_code == 2 and "standaardinvoer" in result.output
    result = cli.rec(cid, "signal_recorded", fmt="json", input="[1, 2]", ok=False)
    assert result.exit_code == 1
    result = cli.rec(cid, "case_opened", ok=False)
    assert result.exit_code == 1 and "case new" in result.stderr
    result = cli.rec(cid, "case_viewed", ok=False)
    assert result.exit_code == 1
    result = cli.rec("MC-9999", "case_reopened", "reason=Bestaat niet eens", ok=False)
    assert result.exit_code == 4
    # A control character in a value is refused at the door, like in the app.
    result = cli.rec(cid, "signal_recorded", "description=Blauwe\x1b]0;x\x07plek",
                     f"observed_on={ago(1)}", "observed_by=juf", "source=own", ok=False)
    assert result.exit_code == 1 and "\x1b" not in result.stderr
    assert cli.show(cid)["signals"] == []


def test_staff_suspect_case_and_kinds_listing(cli):
    cid = cli.new("--name", "Lars Smit (fictief)", "--dob", "2012-06-06", "--staff-suspect")
    assert cli.show(cid)["route"] == "staff"
    result = cli.rec(cid, "signal_recorded", "description=Iets", f"observed_on={ago(1)}",
                     "observed_by=juf", "source=own", ok=False)
    assert result.exit_code == 1 and "geweigerd door regel" in result.stderr
    cli.rec(cid, "staff_suspicion_routed", f"on={ago(0)}", "routed_to=school_board,vertrouwensinspecteur",
            "reason=Vermoeden tegen een medewerker: bestuur en inspectie ingelicht")
    assert cli.show(cid)["route_record"]["routed_to"] == ["school_board", "vertrouwensinspecteur"]
    cli.rec(cid, "staff_route_recorded", f"on={ago(0)}", "record_type=facts",
            "summary=Leerling vertelt over aanrakingen door een medewerker")
    cli.rec(cid, "staff_route_recorded", f"on={ago(0)}", "record_type=inspector_advice",
            "with_whom=Vertrouwensinspecteur (fictief)", "summary=Redelijk vermoeden: aangifte doen")
    cli.rec(cid, "staff_route_recorded", f"on={ago(0)}", "record_type=board_decision",
            "summary=Bestuur doet aangifte en schorst de medewerker")
    cli.rec(cid, "staff_route_recorded", f"on={ago(0)}", "record_type=outcome",
            "summary=Aangifte gedaan; leerling krijgt begeleiding")
    data = cli.show(cid)
    assert [r["record_type"] for r in data["staff_route_records"]] == [
        "facts", "inspector_advice", "board_decision", "outcome"]
    assert "staff_route_records" not in {p["code"] for p in data["open_points"]}
    cli.rec(cid, "case_closed", "grounds=staff_route", "reason=Bestuur heeft het afgehandeld")
    assert cli.show(cid)["closed"]

    text = cli.run("case", "kinds").stdout
    assert "acute_report — Acute melding" in text and "verplicht" in text
    kinds = json.loads(cli.run("case", "kinds", "--json").stdout)
    by_kind = {k["kind"]: k for k in kinds}
    assert "case_opened" not in by_kind and "case_viewed" not in by_kind
    fields = {f["name"]: f for f in by_kind["report_made"]["fields"]}
    assert fields["office"] == {"name": "office", "type": "text", "type_label": "tekst (één regel)",
                                "required": True, "label": "Veilig Thuis-regio"}


def test_reported_case_followed_to_final_feedback_and_a_re_report(cli):
    """Veilig Thuis reports back twice (triage within 5 working days, outcome at the end); the
    school evaluates and reports again when concerns remain; only then the case closes."""
    cid = cli.new("--name", "Sem de Wit (fictief)", "--dob", "2016-08-08")
    steps_one_to_three(cli, cid)
    cli.rec(cid, "weighing_answered", "question=1", "answer=yes", "reason=Signalen en gesprek wijzen erop")
    cli.rec(cid, "weighing_answered", "question=2", "answer=yes", "reason=Structureel onveilig thuis")
    cli.rec(cid, "step_completed", "step=4")
    cli.rec(cid, "pre_report_contact_recorded", f"on={ago(7)}", "with=parents",
            "explained=Wat een melding is en waarom", "reaction=Vader is het er niet mee eens")
    cli.rec(cid, "report_made", f"on={ago(7)}", "office=Veilig Thuis Regio (fictief)",
            "summary=Feiten uit stap 1 en het gesprek", "reporter_disclosed_to_family=ja")
    close = ("grounds=reported", "reason=Veilig Thuis heeft de casus overgenomen")
    cli.rec(cid, "vt_feedback_recorded", f"on={ago(5)}", "stage=first",
            "outcome=Veilig Thuis start een onderzoek")
    r = cli.rec(cid, "case_closed", *close, ok=False)
    assert r.exit_code == 1 and "close_reported_needs_outcome" in r.stderr
    assert "vt_final_feedback" in {p["code"] for p in cli.show(cid)["open_points"]}
    cli.rec(cid, "follow_up_agreed", "description=Wekelijks gesprekje met Sem (taak uit het plan)",
            f"due_on={ago(-14)}", "who=juf")
    cli.rec(cid, "vt_feedback_recorded", f"on={ago(2)}", "stage=final",
            "outcome=Onderzoek afgerond; gezin krijgt hulp van het wijkteam")
    cli.rec(cid, "school_evaluation_recorded", f"on={ago(1)}", "concerns_remain=ja",
            "summary=Sem komt nog steeds met blauwe plekken")
    r = cli.rec(cid, "case_closed", *close, ok=False)
    assert "close_concerns_remain" in r.stderr
    points = {p["code"]: p for p in cli.show(cid)["open_points"]}
    assert points["report_again"]["action"] == "record_report"
    # A re-report is discussed beforehand again (the earlier contact was about the earlier melding).
    r = cli.rec(cid, "report_made", f"on={ago(0)}", "office=Veilig Thuis Regio (fictief)",
                "summary=Nieuwe signalen na het onderzoek", "reporter_disclosed_to_family=ja", ok=False)
    assert r.exit_code == 1 and "report_needs_contact" in r.stderr
    cli.rec(cid, "pre_report_contact_recorded", f"on={ago(0)}", "with=parents",
            "explained=Dat de school opnieuw meldt", "reaction=Vader is boos")
    cli.rec(cid, "report_made", f"on={ago(0)}", "office=Veilig Thuis Regio (fictief)",
            "summary=Nieuwe signalen na het onderzoek", "reporter_disclosed_to_family=ja")
    cli.rec(cid, "vt_feedback_recorded", f"on={ago(0)}", "stage=first", "outcome=Casus heropend bij VT")
    cli.rec(cid, "vt_feedback_recorded", f"on={ago(0)}", "stage=final", "outcome=Jeugdbescherming ingezet")
    cli.rec(cid, "school_evaluation_recorded", f"on={ago(0)}", "concerns_remain=nee",
            "summary=Geen nieuwe signalen", "agreements=Mentor blijft Sem volgen")
    cli.rec(cid, "follow_up_done", "target_seq=" + str(
        next(f["seq"] for f in cli.show(cid)["follow_ups"])), f"on={ago(0)}")
    cli.rec(cid, *("case_closed",), *close)
    data = cli.show(cid)
    assert data["closed"] and len(data["reports"]) == 2
    assert [f["stage"] for f in data["vt_feedback"]] == ["first", "final", "first", "final"]
    assert [e["concerns_remain"] for e in data["school_evaluations"]] == [True, False]


def test_moved_away_closes_with_the_new_school(cli):
    cid = cli.new("--name", "Fenna Mulder (fictief)", "--dob", "2015-03-03")
    cli.rec(cid, "acute_report", f"on={ago(1)}", "reported_to=emergency_112", "by_whom=directeur",
            "agreed=Politie kwam naar school", "child_safety=Kind is bij oma")
    r = cli.rec(cid, "case_closed", "grounds=moved_away", "reason=Gezin is naar Groningen verhuisd", ok=False)
    assert r.exit_code == 1 and "nieuwe school" in r.stderr
    # 112 is no melding: moving away does not close a case Veilig Thuis has not heard of.
    r = cli.rec(cid, "case_closed", "grounds=moved_away", "reason=Gezin is naar Groningen verhuisd",
                "new_school=OBS Het Noorden (fictief)", ok=False)
    assert r.exit_code == 1 and "acute_help_not_a_melding" in r.stderr
    cli.rec(cid, "acute_report", f"on={ago(1)}", "reported_to=veilig_thuis_phone", "by_whom=directeur",
            "agreed=Veilig Thuis neemt contact op met de politie", "child_safety=Kind is bij oma")
    cli.rec(cid, "case_closed", "grounds=moved_away", "reason=Gezin is naar Groningen verhuisd",
            "new_school=OBS Het Noorden (fictief)")
    assert cli.show(cid)["closure"]["new_school"] == "OBS Het Noorden (fictief)"


def test_zorgteam_roles_from_the_config(cli, tmp_path):
    """[zorgteam] roles/required in the config: the CLI (like the app) asks step 2 for the
    school's roles."""
    cfg = tmp_path / "config.toml"
    cfg.write_text('[zorgteam]\nroles = ["leerkracht", "intern_begeleider", "aandachtsfunctionaris"]\n'
                   'required = ["leerkracht", "aandachtsfunctionaris"]\n', encoding="utf-8")
    conf = ["--config", str(cfg)]
    cid = cli.new("--name", "Tim Bos (fictief)", "--dob", "2014-04-04")
    cli.rec(cid, "signal_recorded", "description=Vaak moe en stil", f"observed_on={ago(5)}",
            "observed_by=juf", "source=own")
    cli.rec(cid, "step_completed", "step=1")
    cli.rec(cid, "consultation_recorded", "kind=colleague", "with_whom=IB'er", f"on={ago(4)}",
            "question=Hoe duiden we dit?")
    team = json.dumps([{"role": "leerkracht", "name": "Juf (fictief)"},
                       {"role": "intern_begeleider", "name": "IB'er (fictief)"}])
    r = cli.run(*conf, "case", "record", cid, "care_team_set", "--set", f"members={team}")
    assert r.exit_code == 0, r.stderr
    r = cli.run(*conf, "case", "record", cid, "step_completed", "--set", "step=2", ok=False)
    assert r.exit_code == 1 and "aandachtsfunctionaris" in r.stderr and "ondersteuningscoach" not in r.stderr
    # Without the config the custom role is still a valid record, but step 2 wants the protocol's four.
    r = cli.rec(cid, "step_completed", "step=2", ok=False)
    assert "ondersteuningscoach" in r.stderr
