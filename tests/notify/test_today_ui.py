""""Voor u vandaag" at the top of the dashboard is the very list ``meldcode todo`` prints and a
digest is made of (Notifications.mine), and it follows what the user does."""

from __future__ import annotations

from meldcode_tui.demo import create_demo
from meldcode_tui.service_layer.notify import Notifications
from tests.ui.conftest import FIXED_TODAY, make_app, make_service


async def test_voor_u_vandaag_on_login_is_the_todo_list(tmp_path):
    svc = make_service(tmp_path / "school.sqlite")
    create_demo(svc, today=FIXED_TODAY)
    items = Notifications(svc).mine()
    assert items, "the demo has points due for its coordinator"
    app = make_app(svc)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        text = str(app.screen.query_one("#dash-today").render())
        assert text.splitlines()[0] == f"Voor u vandaag ({len(items)}):"
        assert [line.strip() for line in text.splitlines()[1:]] == [i.line() for i in items]
        # A point resolved elsewhere (another session) leaves the list on return.
        fu = next(i for i in items if i.kind == "follow_up_due")
        svc.record(fu.case_id, "follow_up_done",
                   {"target_seq": int(fu.ref), "on": svc.today().isoformat(), "notes": ""})
        app.open_case(fu.case_id)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        text = str(app.screen.query_one("#dash-today").render())
        assert fu.line() not in text and f"({len(items) - 1})" in text
    svc.store.close()


async def test_at_80x24_the_list_stays_short_and_names_the_rest(tmp_path):
    svc = make_service(tmp_path / "school.sqlite")
    create_demo(svc, today=FIXED_TODAY)
    for _ in range(3):
        svc.log_concern("Lotte Peters (fictief)", [{"description": "Komt zonder jas (fictief)",
                                                    "observed_on": FIXED_TODAY.isoformat(),
                                                    "source": "own"}])
    items = Notifications(svc).mine()
    assert len(items) >= 5
    app = make_app(svc)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        lines = str(app.screen.query_one("#dash-today").render()).splitlines()
        assert len(lines) == 4 and lines[0] == f"Voor u vandaag ({len(items)}):"
        assert lines[3].strip().startswith(f"… en {len(items) - 2} meer: ")
        assert items[-1].case_id in lines[3]
    svc.store.close()
