"""Chronology summaries name who was involved (issue 14)."""

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
