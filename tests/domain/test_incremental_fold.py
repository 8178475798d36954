"""The service folds incrementally (``extend``) after appending anything but a correction.
That shortcut must give exactly the state a full fold gives, for every demo case."""

from __future__ import annotations

from meldcode_tui.demo import create_demo
from meldcode_tui.domain.case import extend, fold
from meldcode_tui.service import CaseService
from meldcode_tui.store import open_store


def test_extend_equals_full_fold_on_every_demo_prefix(tmp_path):
    store = open_store(tmp_path / "demo.sqlite", create=True)
    svc = CaseService(store, actor="demo-coordinator")
    create_demo(svc)
    checked = 0
    for row in store.case_rows():
        events = store.case_events(row["case_id"])
        for i in range(1, len(events)):
            if events[i].kind == "record_corrected":
                continue
            incremental = extend(fold(events[:i]), events[i])
            assert incremental == fold(events[: i + 1]), (row["case_id"], events[i].seq, events[i].kind)
            checked += 1
    assert checked > 50
