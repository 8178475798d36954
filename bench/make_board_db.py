"""Generate a board-sized Meldcode database with fictional content, fast.

    .venv/bin/python bench/make_board_db.py --cases 10000 --events 1000000 OUT.sqlite

The schema comes from the real store (``open_store(create=True)``); rows are then bulk-inserted
with ``executemany`` in big transactions while the hash chain is computed in Python exactly as
``tx.append`` does (same functions), so ``verify`` must pass on the result. The case-list read
model and the full-text index are filled too. All names and texts are fictional.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from hashlib import sha256
from pathlib import Path

from meldcode_tui.store import GENESIS, open_store
from meldcode_tui.store.journal import SEP

FIRST = ["Sanne", "Daan", "Lotte", "Sem", "Emma", "Noah", "Julia", "Lucas", "Mila", "Finn",
         "Tess", "Levi", "Sara", "Milan", "Zoë", "Bram", "Fenna", "Jesse", "Nina", "Thijs",
         "Yara", "Ayoub", "Fatima", "Mohammed", "Hiba", "Kofi", "Ilse", "Joost", "Ravi", "Anouk"]
LAST = ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
        "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
        "Brouwer", "de Wit", "Dijkstra", "Smits", "El Amrani", "Yilmaz", "Kartosen", "Nguyen"]
GROUPS = [f"groep {n}{c}" for n in range(1, 9) for c in "ab"]
STAFF = ["coordinator-anna", "coordinator-bas", "ib-carla", "ib-dirk", "directie-eva"]
SUBJ = ["De leerling", "Het kind", "Moeder", "Vader", "De leerkracht", "Een klasgenoot",
        "De overblijfmoeder", "De gymleraar", "Oma", "De buurvrouw"]
VERB = ["vertelt", "meldt", "ziet", "merkt op", "laat weten", "zegt", "schrijft", "noemt"]
WHAT = ["dat er thuis veel ruzie is", "blauwe plekken op de bovenarm", "dat het kind vaak "
        "zonder ontbijt komt", "angst om naar huis te gaan", "dat er geschreeuwd wordt",
        "terugval in de schoolresultaten", "vermoeidheid en concentratieproblemen",
        "dat vader niet meer thuis woont", "verwondingen aan de pols", "schoolverzuim op maandag",
        "kleding die niet past bij het weer", "onrust in de klas na het weekend",
        "dat het kind bang is voor de nieuwe partner", "signalen van verwaarlozing",
        "dat moeder erg gespannen overkomt", "een brandplek op de hand",
        "dat er politie aan de deur is geweest", "dat het kind vaak ziek wordt gemeld"]
WHEN = ["tijdens de kring", "bij het ophalen", "in de pauze", "na de gymles", "op maandag",
        "in een gesprek met de leerkracht", "bij het huisbezoek", "tijdens het overblijven"]
ADVICE = ["Veilig Thuis adviseert een gesprek met ouders", "De aandachtsfunctionaris raadt aan "
          "signalen te blijven vastleggen", "Overleg met de jeugdarts over de verwondingen",
          "Afspraak gemaakt om na twee weken opnieuw te wegen", "Het zorgteam adviseert hulp "
          "via het wijkteam", "Advies: collegiale consultatie met de intern begeleider"]

KINDS = [("case_viewed", 45), ("signal_recorded", 25), ("consultation_recorded", 10),
         ("conversation_recorded", 8), ("follow_up_agreed", 4), ("help_planned", 3),
         ("weighing_answered", 3), ("step_completed", 2)]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJ)} {rng.choice(VERB)} {rng.choice(WHAT)} {rng.choice(WHEN)}."


def make(out: Path, cases: int, events: int, seed: int = 1) -> tuple[int, float]:
    t0 = time.perf_counter()
    rng = random.Random(seed)
    store = open_store(out, create=True)
    conn = store._conn
    conn.execute("PRAGMA synchronous = OFF")  # generator only; the app always uses FULL
    kinds, weights = zip(*KINDS)
    start = datetime(2019, 8, 19, 8, 0, tzinfo=timezone.utc)
    span = (datetime(2026, 11, 1, tzinfo=timezone.utc) - start).total_seconds()
    step_sec = span / max(events, 1)

    # Cases open spread over the first half of the stream; the rest pick random open cases.
    open_at = sorted(rng.sample(range(max(events // 2, cases)), cases))
    info: dict[str, dict] = {}
    opened: list[str] = []
    prev = GENESIS
    ev_rows, pl_rows, fts_rows = [], [], []
    next_open = 0
    seq = 0
    dumps = json.dumps

    def flush() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT OR IGNORE INTO payloads(hash, body) VALUES (?, ?)", pl_rows)
        conn.executemany("INSERT INTO events(seq, at, actor, case_id, kind, payload_hash, "
                         "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ev_rows)
        conn.executemany("INSERT INTO texts(text, case_id, seq) VALUES (?, ?, ?)", fts_rows)
        conn.execute("COMMIT")
        ev_rows.clear(), pl_rows.clear(), fts_rows.clear()

    while seq < events:
        seq += 1
        at = (start + timedelta(seconds=seq * step_sec)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        actor = rng.choice(STAFF)
        text = None
        if next_open < cases and (seq - 1 >= open_at[next_open] or not opened
                                  or events - seq < cases - next_open):
            next_open += 1
            case_id = f"MC-{next_open:05d}"
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)} (fictief)"
            text = f"{name}. {sentence(rng)}"
            payload = {"pupil": {"name": name, "date_of_birth": f"{rng.randint(2012, 2021)}-"
                                 f"{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                 "group": rng.choice(GROUPS),
                                 "pupil_number": str(10000 + next_open)},
                       "parents": [], "owner": actor, "note": text}
            kind = "case_opened"
            opened.append(case_id)
            info[case_id] = {"pupil_name": name, "group_name": payload["pupil"]["group"],
                             "date_of_birth": payload["pupil"]["date_of_birth"], "owner": actor,
                             "opened_at": at, "step": 1, "status": "open",
                             "members": [actor]}
        else:
            case_id = rng.choice(opened)
            kind = rng.choices(kinds, weights)[0]
            if kind == "case_viewed":
                payload = {"purpose": "inzien", "case": case_id, "n": seq}
            elif kind == "signal_recorded":
                text = sentence(rng)
                payload = {"description": text, "observed_on": at[:10], "observed_by": actor,
                           "source": "own", "source_name": "", "contradicting": False,
                           "catalogue": None}
            elif kind == "consultation_recorded":
                text = f"{rng.choice(ADVICE)}. {sentence(rng)}"
                payload = {"kind": "colleague", "with_whom": rng.choice(STAFF), "on": at[:10],
                           "anonymous": True, "question": sentence(rng), "advice": text}
            elif kind == "conversation_recorded":
                text = f"Gesprek met ouders. {sentence(rng)} {sentence(rng)}"
                payload = {"on": at[:10], "participants": ["parents"], "summary": text,
                           "outcome": "afspraken gemaakt", "concern_removed": False}
            elif kind == "step_completed":
                step = min(info[case_id]["step"] + 1, 5)
                info[case_id]["step"] = step
                payload = {"step": step - 1, "summary": f"Stap {step - 1} afgerond ({seq})"}
            else:
                text = f"{rng.choice(ADVICE)} ({seq})."
                payload = {"description": text, "case": case_id}
        body = dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        ph = sha256(body.encode()).hexdigest()
        h = sha256(SEP.join((str(seq), at, actor, case_id, kind, ph, prev)).encode()).hexdigest()
        ev_rows.append((seq, at, actor, case_id, kind, ph, prev, h))
        pl_rows.append((ph, body))
        if text:
            fts_rows.append((text, case_id, seq))
        info[case_id]["last_change_at"] = at
        prev = h
        if len(ev_rows) >= 100_000:
            flush()
    if ev_rows:
        flush()

    today = "2026-11-29"
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO counters(name, value) VALUES ('case', ?)", (cases,))
    conn.executemany(
        "INSERT INTO cases(case_id, pupil_name, group_name, date_of_birth, step, status, owner,"
        " opened_at, last_change_at, next_deadline, next_deadline_label, route, members)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(cid, i["pupil_name"], i["group_name"], i["date_of_birth"], i["step"],
          "gesloten" if rng.random() < 0.6 else "open", i["owner"], i["opened_at"],
          i["last_change_at"], today if rng.random() < 0.3 else None,
          "Weging afronden" if rng.random() < 0.3 else None, None, json.dumps(i["members"]))
         for cid, i in info.items()])
    conn.executemany("INSERT OR IGNORE INTO case_members(case_id, user) VALUES (?, ?)",
                     [(cid, m) for cid, i in info.items() for m in i["members"]])
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return seq, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("out", type=Path)
    args = ap.parse_args(argv)
    if args.out.exists():
        print(f"{args.out} exists; refusing to overwrite", file=sys.stderr)
        return 2
    if args.events < args.cases:
        print("--events must be >= --cases", file=sys.stderr)
        return 2
    n, dt = make(args.out, args.cases, args.events, args.seed)
    print(f"wrote {n} events for {args.cases} cases to {args.out} in {dt:.1f} s "
          f"({args.out.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
