"""``meldcode notify`` against real channels on 127.0.0.1 (an SMTP relay with STARTTLS and login,
an HTTP endpoint for apprise's json://), on the demo school with its people: who gets what, no
second message on a rerun, a failing channel tried again, no case content in any message, and
nobody hears of a case they may not see."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from meldcode_tui.domain import notify as dn
from meldcode_tui.domain.dates import format_date
from meldcode_tui.service_layer.notify import Channels, Notifications, apprise_send
from tests.notify.conftest import SMTP_PASS, TEAM_CASE
from tests.notify.leak import assert_content_free, needles
from tests.privacy.test_leak import NAME, WORD

pytestmark = pytest.mark.slow
MELDCODE = str(Path(sys.executable).parent / "meldcode")
SIG = {"description": f"{WORD}: komt al dagen zonder jas", "observed_on": "2026-11-20",
       "source": "own"}


def kinds(items):
    return sorted((i.case_id, i.kind) for i in items)


def case_items(items):
    return [i for i in items if i.case_id.startswith("MC-")]


# --------------------------------------------------------------------------- recipients

def log_concern(school):
    return school("petra", "teacher").log_concern(f"{NAME} (fictief)", [SIG], group="6a")


def test_recipients_and_items_for_the_demo_school(school):
    zg = log_concern(school)
    due = Notifications(school()).due()
    # The coordinators hear of the new concern; anouk also of her cases' points.
    assert (zg, "concern_new") in kinds(due["anouk"]) and (zg, "concern_new") in kinds(due["zoe"])
    assert (TEAM_CASE, "vt_feedback_overdue") in kinds(due["anouk"])
    assert {i.kind for i in case_items(due["anouk"])} >= {"vt_feedback_overdue", "follow_up_due",
                                                           "staff_route_open"}
    # zoe owns no case and is in no zorgteam: a new concern only.
    assert kinds(due["zoe"]) == [(zg, "concern_new")]
    # bram is in MC-0007's zorgteam: its points, nothing else.
    assert {i.case_id for i in due["bram"]} == {TEAM_CASE}
    assert kinds(due["bram"]) == [(TEAM_CASE, "vt_feedback_overdue")]
    # Nothing for a member outside the zorgteam, a teacher (even named in a zorgteam) or an
    # auditor (idem).
    assert "carla" not in due and "petra" not in due and "otto" not in due


def test_nobody_gets_an_item_about_a_case_they_may_not_see(school):
    coord = school("anouk", "coordinator")
    log_concern(school)
    # A colleague's acute melding on the zorgteam's case (and one on a case bram is not on).
    acute = dict(on=date.today().isoformat(), reported_to=["veilig_thuis_phone"],
                 by_whom="Aandachtsfunctionaris (fictief)", agreed="Veilig Thuis komt (fictief)",
                 child_safety="Kind blijft op school (fictief)")
    coord.record(TEAM_CASE, "acute_report", dict(acute))
    coord.record("MC-0001", "acute_report", dict(acute))
    n = Notifications(school())
    due = n.due()
    assert (TEAM_CASE, "acute_report") in kinds(due["bram"])
    assert "MC-0001" not in {i.case_id for i in due["bram"]}
    assert not any(i.kind == "acute_report" for i in due["anouk"])   # her own melding
    users = {u["name"]: u for u in school().store.users()}
    for name, items in due.items():
        for item in case_items(items):
            # The app itself lets this user open the case, and she is on it.
            state = school(name, users[name]["role"]).get_state(item.case_id)
            assert name in state.members and users[name]["role"] in ("coordinator", "member")
    # The same through each user's own "Voor u vandaag".
    for name, role in (("carla", "member"), ("petra", "teacher"), ("otto", "auditor")):
        assert case_items(Notifications(school(name, role)).mine()) == []
    assert kinds(Notifications(school("bram", "member")).mine()) == kinds(due["bram"])


def test_the_teacher_hears_her_concern_was_taken_without_the_case(school, webhook):
    zg = log_concern(school)
    Channels(school.admin()).set("petra", webhook.url("petra"))
    assert Notifications(school()).run().sent == {}        # nothing for her while it is new
    case_id = school("anouk", "coordinator").take_concern(zg, date_of_birth="2015-04-01")
    assert list(Notifications(school()).run().sent) == ["petra"]
    [post] = webhook.posts
    assert f"{zg}: uw zorgmelding is opgepakt" in post["message"] and case_id not in post["message"]
    assert_content_free(post["message"], school().store)
    mine = Notifications(school("petra", "teacher")).mine()
    assert kinds(mine) == [(zg, "concern_taken")]
    title, body = dn.digest(mine)
    assert case_id not in body and zg in body
    assert all(i.case_id != zg for i in Notifications(school()).due()["anouk"])   # not new now


# --------------------------------------------------------------------------- real channels

def test_digest_by_mail_and_webhook_once_and_content_free(school, smtp_relay, webhook):
    log_concern(school)
    channels = Channels(school.admin())
    channels.set("anouk", smtp_relay.url("anouk@school.example"))
    channels.set("bram", webhook.url("bram"))
    channels.set("zoe", webhook.url("zoe"))
    channels.set("petra", webhook.url("petra"))
    channels.set("otto", webhook.url("otto"))
    svc = school()
    report = Notifications(svc).run()
    assert report.failed == [] and sorted(report.sent) == ["anouk", "bram", "zoe"]
    assert [m["to"] for m in smtp_relay.mails] == [["anouk@school.example"]]
    assert smtp_relay.mails[0]["tls"] and smtp_relay.mails[0]["auth"]
    assert sorted(p["path"] for p in webhook.posts) == ["/bram", "/zoe"]
    bodies = [m["body"] for m in smtp_relay.mails] + [p["message"] for p in webhook.posts]
    assert f"{TEAM_CASE}: terugkoppeling van Veilig Thuis uitgebleven" in smtp_relay.mails[0]["body"]
    for body in bodies:
        assert_content_free(body, svc.store)
    # A second run: nothing new, nothing sent.
    again = Notifications(school()).run()
    assert again.sent == {} and len(smtp_relay.mails) == 1 and len(webhook.posts) == 2
    # What went out is in the journal (recipient, keys, scheme: no URL, no secret) and verified.
    sent = [e for e in svc.store.events(case_id=dn.NOTIFY_STREAM)]
    assert {e.payload["recipient"] for e in sent} == {"anouk", "bram", "zoe"}
    raw = json.dumps([e.payload for e in svc.store.events()])
    assert SMTP_PASS not in raw and "127.0.0.1" not in json.dumps([e.payload for e in sent])
    assert svc.store.verify().ok


def test_a_failing_channel_is_reported_and_retried_next_run(school, webhook):
    Channels(school.admin()).set("bram", webhook.url("bram"))
    webhook.fail = True
    report = Notifications(school()).run()
    assert report.sent == {} and len(report.failed) == 1
    line = report.failed[0]
    assert "bram" in line and "json://127.0.0.1" in line and "\n" not in line
    assert Notifications(school()).sent_keys() == {}
    webhook.fail = False
    report = Notifications(school()).run()
    assert list(report.sent) == ["bram"] and len(webhook.posts) == 1
    assert Notifications(school()).run().sent == {}


def test_a_new_point_goes_out_and_the_old_ones_not_again(school, webhook):
    Channels(school.admin()).set("anouk", webhook.url("anouk"))
    Notifications(school()).run()
    first = webhook.posts[-1]["message"]
    zg = log_concern(school)
    Notifications(school()).run()
    second = webhook.posts[-1]["message"]
    assert zg not in first and zg in second
    assert f"{TEAM_CASE}:" in first and f"{TEAM_CASE}:" not in second
    assert "Er staat 1 punt voor u" in second


def test_quiet_days(school, webhook):
    Channels(school.admin()).set("anouk", webhook.url("anouk"))
    svc = school()
    saturday = date(2026, 12, 5)
    svc.clock = lambda: __import__("datetime").datetime(2026, 12, 5, 8, 0)
    assert Notifications(svc, quiet_days=["weekend"]).run().quiet
    assert webhook.posts == []
    assert dn.is_quiet_day(date(2026, 12, 25), ["feestdagen"])
    assert not dn.is_quiet_day(date(2026, 12, 25) + timedelta(days=3), ["feestdagen", "weekend"])
    assert not dn.is_quiet_day(saturday, ["feestdagen"])


def test_notify_is_for_the_service_account_only(school):
    from meldcode_tui.errors import AccessDenied

    with pytest.raises(AccessDenied):
        Notifications(school("anouk", "coordinator")).run()


# --------------------------------------------------------------------------- the CLI

def run(db, *args, env=None):
    e = {k: v for k, v in os.environ.items() if not k.startswith("MELDCODE_")}
    e.update(env or {})
    return subprocess.run([MELDCODE, "--db", str(db), *args], capture_output=True, text=True,
                          timeout=120, env=e)


def test_set_notify_never_prints_the_secret_and_tests_the_channel(school, webhook, tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("")
    env = {"MELDCODE_CONFIG": str(cfg)}
    url = webhook.url("bram").replace("json://", "json://hookuser:hook-geheim-991@")
    out = run(school.db, "admin", "user", "set-notify", "bram", url, "--test", env=env)
    assert out.returncode == 0, out.stderr
    assert "hook-geheim-991" not in out.stdout + out.stderr and "hookuser" not in out.stdout
    assert "json://127.0.0.1" in out.stdout
    assert [p["title"] for p in webhook.posts] == ["Meldcode: testbericht"]
    store = school().store
    assert "hook-geheim-991" not in json.dumps([e.payload for e in store.events()])
    ev = [e for e in store.events() if e.kind == "user_notify_set"][-1]
    assert ev.payload["channel"] == "json://127.0.0.1" and ev.case_id == "beheer"
    out = run(school.db, "admin", "user", "set-notify", "bram", env=env)
    assert out.stdout.strip() == "Meldingskanaal van 'bram': json://127.0.0.1."
    # The user list names the channel too, without its login or secret.
    out = run(school.db, "admin", "user", "list", env=env)
    bram = next(line for line in out.stdout.splitlines() if line.startswith("bram\t"))
    assert "meldingen: json://127.0.0.1" in bram and "geheim" not in out.stdout
    listed = {u["name"]: u for u in json.loads(run(school.db, "admin", "user", "list", "--json", env=env).stdout)}
    assert listed["bram"]["notify"] == "json://127.0.0.1" and listed["anouk"]["notify"] is None
    # A channel that fails the test: one Dutch line, exit 1.
    webhook.fail = True
    out = run(school.db, "admin", "user", "set-notify", "bram", "--test", env=env)
    assert out.returncode == 1 and out.stderr.count("\n") == 1 and "geheim" not in out.stderr
    webhook.fail = False
    # meldcode notify from cron, then meldcode todo as bram.
    out = run(school.db, "notify", env=env)
    assert out.returncode == 0, out.stderr
    assert "1 bericht(en) verstuurd" in out.stdout and "anouk" in out.stdout  # she has no channel
    assert webhook.posts[-1]["path"] == "/bram"
    out = run(school.db, "--user", "bram", "todo", env=env)
    assert out.returncode == 0, out.stderr
    expected = Notifications(school()).due()["bram"][0].line()
    assert out.stdout.splitlines()[1:] == [f"- {expected}"]
    assert expected.startswith(f"{TEAM_CASE}: terugkoppeling van Veilig Thuis uitgebleven (")
    out = run(school.db, "--user", "otto", "todo", env=env)
    assert out.returncode == 0 and "MC-" not in out.stdout
    assert run(school.db, "verify", env=env).returncode == 0


def test_unknown_or_broken_channel_url_is_refused(school):
    from meldcode_tui.errors import InputError

    ch = Channels(school.admin())
    for bad in ("geen-url", "onbekend://host/x", "json://a b"):
        with pytest.raises(InputError):
            ch.set("bram", bad)
    assert apprise_send("json://127.0.0.1:9/dicht", "t", "b") is False


def test_the_leak_search_finds_names_words_and_dates_of_birth(school):
    log_concern(school)
    svc = school()
    _title, body = dn.digest(Notifications(svc).due()["anouk"])
    assert_content_free(body, svc.store)
    whole, words = needles(svc.store)
    assert any(NAME in w for w in whole) and WORD.lower() in words
    dob = next(e.payload["pupil"]["date_of_birth"] for e in svc.store.events()
               if e.kind == "case_opened")
    for leaked in (NAME, WORD, "Zorgen blijven", "Petra Hendriks (fictief)", dob, format_date(dob)):
        with pytest.raises(AssertionError):
            assert_content_free(f"{body} {leaked}", svc.store)


def test_folding_only_the_cases_the_list_marks_changes_nothing(school):
    coord = school("anouk", "coordinator")
    log_concern(school)
    coord.agree_follow_up("MC-0001", "Gesprek met ouders (fictief)",
                          date.today().isoformat(), "IVP")
    quick = Notifications(school()).due()
    full = Notifications(school())
    full.everything = True
    assert full.due() == quick
    assert any(i.case_id == "MC-0001" and i.kind == "follow_up_due" for i in quick["anouk"])


def test_a_second_run_at_the_same_moment_sends_nothing(school, webhook):
    from meldcode_tui.service_layer.notify import NotifyBusy

    Channels(school.admin()).set("anouk", webhook.url("anouk"))
    first = Notifications(school())
    with first._one_run_at_a_time():
        with pytest.raises(NotifyBusy):
            Notifications(school()).run()
    assert webhook.posts == []
    assert list(Notifications(school()).run().sent) == ["anouk"]
