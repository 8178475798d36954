"""Drafts: what a coordinator types survives a dropped connection; drafts are not records.
Against a plain and an encrypted database (``store_key``, tests/store/conftest.py): a draft
holds case content as much as a record does."""

from __future__ import annotations

from meldcode_tui.store import open_store

from .conftest import raw


def test_draft_round_trip_per_user_and_form(db_path, store_key):
    store = open_store(db_path, create=True, key=store_key)
    store.save_draft("anouk", "MC-0001:signal", {"description": "Leerling vertelt dat"})
    store.save_draft("anouk", "MC-0001:signal", {"description": "Leerling vertelt dat er thuis"})
    store.save_draft("bram", "MC-0001:signal", {"description": "iets anders"})
    data, at = store.load_draft("anouk", "MC-0001:signal")
    assert data == {"description": "Leerling vertelt dat er thuis"}
    assert at.endswith("Z")
    assert store.load_draft("anouk", "MC-0002:signal") is None
    assert store.load_draft("bram", "MC-0001:signal")[0] == {"description": "iets anders"}
    store.discard_draft("anouk", "MC-0001:signal")
    assert store.load_draft("anouk", "MC-0001:signal") is None
    store.close()
    # Reopened from disk (another session after a reconnect): still there.
    store = open_store(db_path, key=store_key)
    assert store.load_draft("bram", "MC-0001:signal")[0] == {"description": "iets anders"}
    store.close()


def test_drafts_never_touch_the_journal(db_path, store_key):
    store = open_store(db_path, create=True, key=store_key)
    head = store.checkpoint()
    store.save_draft("anouk", "new-case", {"pupil_name": "Lotte (fictief)"})
    assert store.checkpoint() == head
    assert store.is_empty()
    assert store.verify().ok
    store.close()


def test_old_drafts_are_dropped_not_restored(db_path, store_key):
    store = open_store(db_path, create=True, key=store_key)
    store.save_draft("anouk", "MC-0001:signal", {"description": "oud"})
    store.close()
    conn = raw(db_path, drop_triggers=False)
    conn.execute("UPDATE drafts SET updated_at = '2020-01-01T00:00:00Z'")
    conn.close()
    store = open_store(db_path, key=store_key)
    assert store.load_draft("anouk", "MC-0001:signal") is None
    assert store.db.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0
    store.close()


def test_erase_drafts_takes_exactly_the_case_and_reads_no_pattern(db_path, store_key):
    """Abuse: a case id is a prefix of another (MC-0001 / MC-00010) or holds LIKE wildcards."""
    store = open_store(db_path, create=True, key=store_key)
    keys = ["MC-0001:form-notitie", "MC-0001", "MC-00010:form-notitie", "MC-0002:form-x",
            "MC-%:form", "MC-_001:form"]
    for actor in ("anna", "bram"):
        for key in keys:
            store.save_draft(actor, key, {"text": key})
    with store.write() as tx:
        assert tx.erase_drafts("MC-0001") == 4          # both users, both keys of this case
    with store.write() as tx:
        assert tx.erase_drafts("MC-%") == 2             # only the literal id, not a pattern
    left = {k for k in keys if store.load_draft("anna", k) is not None}
    assert left == {"MC-00010:form-notitie", "MC-0002:form-x", "MC-_001:form"}
    store.close()
