"""Chronology summaries name who was involved."""

from __future__ import annotations

from meldcode_tui.ui.labels import event_summary


def test_pre_report_contact_says_with_whom_before_the_reaction():
    text = event_summary("pre_report_contact_recorded", {
        "on": "2026-03-20", "with": ["parents"], "explained": "Wat en waarom.",
        "reaction": "Moeder is boos maar begrijpt het.", "objections": "", "weighing": ""})
    assert text.startswith("met ouders") or text.startswith("met de ouders"), text
    assert "Moeder is boos" in text


def test_summaries_never_carry_control_characters():
    text = event_summary("pre_report_contact_recorded", {
        "on": "2026-03-20", "with": ["pupil"], "explained": "x",
        "reaction": "ok\x1b[2J\u202ekwaad", "objections": "", "weighing": ""})
    assert "\x1b" not in text and "\u202e" not in text


def test_acute_row_says_to_whom_and_what_was_agreed():
    """Seen: the chronology row of an acute melding had an empty 'Wat' column."""
    text = event_summary("acute_report", {
        "on": "2026-09-01", "reported_to": ["emergency_112", "veilig_thuis_phone"], "by_whom": "IVP (fictief)",
        "agreed": "Politie komt naar school", "child_safety": "Kind is bij de leerkracht"})
    assert text == "aan 112, Veilig Thuis (telefonisch, 0800-2000): Politie komt naar school"
    fb = event_summary("vt_feedback_recorded", {"on": "2026-09-01", "outcome": "Wijkteam neemt over",
                                                "decision": "local_team"})
    assert fb.startswith("overgedragen aan het lokale team / wijkteam: Wijkteam neemt over")
