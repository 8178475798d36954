"""The dashboard's SQL paging gives the same rows, in the same order, as the in-Python list it
replaces (kept below as the oracle), for every filter and sort, with the access rule."""

from __future__ import annotations

import random
from datetime import date, datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store

TODAY = date(2026, 3, 16)
NOW = datetime(2026, 3, 16, 10, 0, tzinfo=timezone.utc)
SORTS = ["next_deadline", "pupil_name", "step", "last_change_at", "status"]
CLOSED = {"closed", "gesloten"}
USERS = ["anna", "bas", "carla", "test-coordinator"]


# --------------------------------------------------------------------------- the oracle
def _is_overdue(row, today):
    if "overdue" in row and row["overdue"] is not None:
        return bool(row["overdue"])
    nd = row.get("next_deadline")
    return bool(nd) and date.fromisoformat(str(nd)[:10]) < today


def oracle(svc, *, show_closed, step, status, overdue, mine, search, sort):
    """The dashboard's old visible_rows() + _run_search(), over svc.list_cases()."""
    rows = svc.list_cases(include_closed=True)
    hits = None
    text = (search or "").strip()
    if len(text) >= 2:
        hits = set()
        low = text.lower()
        for row in rows:
            if low in str(row.get("pupil_name", "")).lower() or low in str(row.get("case_id", "")).lower():
                hits.add(row.get("case_id"))
        hits.update(h.get("case_id") for h in svc.search(text))
    out = []
    for row in rows:
        if not show_closed and row.get("status") in CLOSED and status not in CLOSED:
            continue
        if step and (int(row.get("step") or 0) != step or row.get("route") == "staff"):
            continue
        if status and row.get("status") != status:
            continue
        if overdue and not _is_overdue(row, TODAY):
            continue
        if mine and row.get("owner") != svc.actor:
            continue
        if hits is not None and row.get("case_id") not in hits:
            continue
        out.append(row)

    def sort_key(r):
        v = r.get(sort)
        if sort == "next_deadline":
            return (v is None or v == "", str(v or ""))
        if sort == "last_change_at":
            return (0, "".join(chr(0x10FFFF - ord(c)) for c in str(v or "")))
        if sort == "step":
            return (0, int(v or 0))
        return (0, str(v or "").lower())

    out.sort(key=sort_key)
    return out


def paged(svc, page_size, *, show_closed, step, status, overdue, mine, search, sort):
    f = svc.case_filter(include_closed=show_closed, step=step, status=status, overdue=overdue,
                        mine=mine, search=search)
    count = svc.case_count(f)
    rows, offset = [], 0
    while True:
        page = svc.case_page(f, sort, offset, page_size)
        rows += page
        offset += page_size
        if len(page) < page_size:
            break
    assert count == len(rows)
    return rows


# --------------------------------------------------------------------------- databases
@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from meldcode_tui.demo import create_demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    store = open_store(path, create=True)
    svc = CaseService(store, actor="test-coordinator", clock=lambda: NOW)
    create_demo(svc, today=TODAY)
    # a colleague's case the coordinator may not see, one shared with her, one without members
    other = CaseService(store, actor="anna", clock=lambda: NOW)
    other.create_case("Bram Bos (fictief)", "2014-02-02", "groep 7")
    other.create_case("Émile Été (fictief)", "2013-03-03", "groep 8")
    with store.write() as tx:
        tx.put_case_row("MC-0012", {"members": ["anna", "test-coordinator"]})
        tx.put_case_row("MC-0011", {"members": []})
    store.close()
    return path


@pytest.fixture(scope="module")
def generated_db(tmp_path_factory):
    """Read-model rows with every awkward value: equal sort keys, empty deadlines, accents and
    capitals in names, both closed spellings, no members, foreign members."""
    path = tmp_path_factory.mktemp("gen") / "gen.sqlite"
    store = open_store(path, create=True)
    rng = random.Random(7)
    names = ["Sanne de Vries (fictief)", "daan Jansen (fictief)", "Émile Été (fictief)",
             "Zoë Bakker (fictief)", "Ömer Yilmaz (fictief)", "sanne de vries (fictief)", ""]
    with store.write() as tx:
        for i in range(1, 301):
            members = rng.choice([[], ["anna"], ["bas", "carla"], ["test-coordinator"],
                                  ["test-coordinator", "anna"]])
            tx.put_case_row(f"MC-{i:04d}", {
                "pupil_name": rng.choice(names), "group_name": "groep 5",
                "date_of_birth": "2015-01-01", "step": rng.choice([1, 2, 3, 4, 5, None]),
                "status": rng.choice(["open", "hulp", "gemeld", "gesloten", "closed",
                                      "doorverwezen"]),
                "owner": rng.choice(USERS),
                "opened_at": "2026-01-01T00:00:00.000000Z",
                "last_change_at": f"2026-0{rng.randint(1, 3)}-{rng.randint(10, 12)}T08:00:00.000000Z",
                "next_deadline": rng.choice([None, "", "2026-03-01", "2026-03-16", "2026-04-01"]),
                "next_deadline_label": "x", "route": "meldcode", "members": members})
            tx.add_text(f"MC-{i:04d}", i, rng.choice(["blauwe plek", "ruzie thuis", "moe"]))
    store.close()
    return path


filters = st.fixed_dictionaries({
    "show_closed": st.booleans(), "step": st.sampled_from([None, 1, 2, 3, 4, 5]),
    "status": st.sampled_from([None, "open", "gesloten", "closed", "hulp"]),
    "overdue": st.booleans(), "mine": st.booleans(),
    "search": st.sampled_from([None, "", "s", "sanne", "MC-00", "été", "ruzie", "blauw", "zzz"]),
    "sort": st.sampled_from(SORTS)})


@pytest.mark.parametrize("which", ["demo_db", "generated_db"])
@pytest.mark.parametrize("actor,all_access", [("test-coordinator", False), ("anna", False),
                                              ("nobody", False), ("beheer", True)])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=filters, page_size=st.sampled_from([1, 3, 7, 100]))
def test_sql_paging_equals_the_python_list(request, which, actor, all_access, f, page_size):
    store = open_store(request.getfixturevalue(which))
    try:
        svc = CaseService(store, actor=actor, clock=lambda: NOW, all_access=all_access)
        want = [r["case_id"] for r in oracle(svc, **f)]
        got = paged(svc, page_size, **f)
        assert [r["case_id"] for r in got] == want
        assert got == oracle(svc, **f)           # same row contents (age, overdue included)
    finally:
        store.close()


@pytest.mark.parametrize("which", ["demo_db", "generated_db"])
def test_counts_come_from_one_grouped_query_and_match(request, which):
    store = open_store(request.getfixturevalue(which))
    try:
        for actor, all_access in (("test-coordinator", False), ("anna", False), ("x", True)):
            svc = CaseService(store, actor=actor, clock=lambda: NOW, all_access=all_access)
            rows = svc.list_cases()
            open_rows = [r for r in rows if r.get("status") not in CLOSED]
            counts = svc.case_counts()
            assert counts["total"] == len(rows)
            meldcode = [r for r in open_rows if r.get("route") != "staff"]
            for n in range(1, 6):
                assert counts["open"].get(n, 0) == sum(1 for r in meldcode if int(r.get("step") or 0) == n)
            # A staff-route case is counted apart, never under a Meldcode step.
            assert counts["other_route"] == len(open_rows) - len(meldcode)
            assert counts["overdue"] == sum(1 for r in open_rows if r["overdue"])
            assert counts["statuses"] == sorted({r["status"] for r in rows if r.get("status")})
    finally:
        store.close()


def test_members_table_follows_the_row_in_the_same_transaction(tmp_path):
    store = open_store(tmp_path / "m.sqlite", create=True)
    svc = CaseService(store, actor="anna", clock=lambda: NOW)
    svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6a")
    members = lambda: sorted(u for (u,) in store.db.execute(  # noqa: E731
        "SELECT user FROM case_members WHERE case_id = 'MC-0001'").fetchall())
    assert members() == ["anna"]
    with store.write() as tx:                      # what a care team with a login gives
        tx.put_case_row("MC-0001", {"members": '["anna", "bas", "bas", 3]'})
    assert members() == ["anna", "bas"]
    bas = CaseService(store, actor="bas", clock=lambda: NOW)
    carla = CaseService(store, actor="carla", clock=lambda: NOW)
    assert [r["case_id"] for r in bas.case_page(bas.case_filter())] == ["MC-0001"]
    assert carla.case_page(carla.case_filter()) == [] and carla.case_count(carla.case_filter()) == 0
    assert carla.case_counts()["total"] == 0
    # a failing transaction leaves the members as they were
    with pytest.raises(RuntimeError):
        with store.write() as tx:
            tx.put_case_row("MC-0001", {"members": ["carla"]})
            raise RuntimeError("abort")
    assert members() == ["anna", "bas"]
    store.close()


def test_search_text_is_never_sql(tmp_path):
    """Quotes, LIKE wildcards and FTS syntax in the search box are plain text."""
    store = open_store(tmp_path / "s.sqlite", create=True)
    svc = CaseService(store, actor="anna", clock=lambda: NOW)
    svc.create_case("Sanne de Vries (fictief)", "2015-09-01", "6a")
    for text in ("' OR 1=1 --", "%%", "__", '"*', "NEAR(a b)", "sanne') OR ('1"):
        assert svc.case_page(svc.case_filter(search=text)) == []
    assert len(svc.case_page(svc.case_filter(search="vries"))) == 1
    store.close()
