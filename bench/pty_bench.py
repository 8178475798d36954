"""What a user in a real terminal gets, side by side with the floor, in one run: the app and a
bare Textual app (bench/floor_app.py) each in a pseudo-terminal, at 80x24 and 120x40.

    .venv/bin/python bench/make_board_db.py --cases 10000 --events 60000 /tmp/board.sqlite
    git archive b5aaa35 | tar -x -C /tmp/before          # an older checkout, to compare
    .venv/bin/python bench/pty_bench.py /tmp/board.sqlite --before /tmp/before

Per target and size:

- *start*: spawn to the first screen that shows the dashboard with its rows (the floor: its
  table's rows), read through a terminal emulator (pyte) fed with everything the program wrote;
  separate processes, alternated, median of ``--runs``;
- *first paint*: bytes written up to that screen;
- *cursor move*: 8 presses of the down arrow and 8 of the up arrow on the dashboard (the rows
  in view, no scrolling), 0.25 s apart: all bytes written from the first press until the screen
  is quiet, divided by 16;
- *idle*: bytes per second over ``--idle`` seconds of doing nothing, on the dashboard and with
  the cursor in a text area;
- *typed character*: 100 characters typed at 10 per second into a text area (the app: the
  new-case form's parents field; the floor: a stock TextArea in a modal), all bytes written from
  the first key until quiet, divided by 100;
- *lag over a slow link*: the same 100 characters through a link shaped to 2 KB/s with 200 ms
  round trip: each key reaches the program 100 ms after it is typed, and what the program writes
  is queued on a 2,048 byte/s line and arrives 100 ms after it left. The lag is the time from the
  last key typed to the moment the user's screen (an emulator fed with the arriving bytes) shows
  it. The link is simulated in virtual time on the recorded output (a rate-limited, delayed
  pipe), so the measure does not depend on the machine's load.

The terminal is xterm-256color without COLORTERM (as over SSH, which does not pass it) and
answers the synchronized-output query as a modern terminal does. The board database is copied
for each process. ``--before DIR`` adds a column for the app from another checkout (run with
``PYTHONPATH=DIR`` by this venv's interpreter). Not a test: nothing here asserts a number.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyte

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.ptykit import PtyProgram  # noqa: E402  (the pty, the emulator, the sync reply)
USER = "bench-beheer"
DOWN = "\x1b[B"
UP = "\x1b[A"
TAB = "\t"
RATE = 2048.0          # bytes per second on the shaped link
ONE_WAY = 0.100        # seconds (200 ms round trip)


def typed_text(n: int = 100) -> str:
    words = "de leerling vertelde vanochtend dat het thuis onrustig was en dat".split()
    out, i = "", 0
    end = " klaar."
    while len(out) + len(end) < n:
        out += ("" if not out else " ") + words[i % len(words)]
        i += 1
    out = (out + end)[-n:] if len(out + end) > n else out + end
    return out.lstrip().rjust(n, "x")


class BenchProgram(PtyProgram):
    """The tests' pty program (tests/ptykit.py), with what the bench counts."""

    @property
    def total(self) -> int:
        return sum(len(c) for _t, c in self.chunks)

    def wait_until(self, predicate, timeout: float = 30.0) -> float:
        """The moment the screen first satisfied ``predicate`` (polled every 10 ms)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate(self.text()):
                return time.monotonic()
            self.pump(0.01)
        raise RuntimeError("screen never showed what was expected:\n" + self.text())

    def quiet(self, gap: float = 0.4, timeout: float = 20.0) -> float:
        """Pump until nothing was written for ``gap`` s (shorter than a cursor blink's 0.5 s);
        returns the time of the last byte."""
        deadline = time.monotonic() + timeout
        start = time.monotonic()
        while time.monotonic() < deadline:
            last = self.chunks[-1][0] if self.chunks else start
            if time.monotonic() - max(last, start) >= gap:
                break
            self.pump(0.05)
        return self.chunks[-1][0] if self.chunks else time.monotonic()


def base_env() -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("COLUMNS", "LINES", "COLORTERM", "TMUX", "NO_COLOR")
           and not k.startswith(("TEXTUAL", "MELDCODE", "PYTEST"))}
    env.update(TERM="xterm-256color", LANG="C.UTF-8")
    return env


class Target:
    def __init__(self, name: str, argv: list[str], env: dict, cwd: str, dashboard, open_text,
                 form: str, db: tuple[Path, Path] | None = None):
        self.name, self.argv, self.env, self.cwd = name, argv, env, cwd
        self.db = db                    # (board database, the copy the program opens)
        self.dashboard = dashboard      # predicate on the screen text
        self.open_text = open_text      # keys (with pauses) to a focused text area
        self.form = form                # shown once the first of those keys opened the form


def floor_target() -> Target:
    return Target("floor", [sys.executable, str(HERE / "floor_app.py")], base_env(), str(ROOT),
                  lambda s: "Leerling 000" in s and "Stoppen" in s, [("n", 0.8)], "Terug")


def app_target(name: str, checkout: Path, db: Path, config: Path, board: Path | None = None) -> Target:
    env = base_env()
    env["PYTHONPATH"] = str(checkout)
    argv = [sys.executable, "-m", "meldcode_tui", "--db", str(db), "--config", str(config),
            "--user", USER]

    def dashboard(s: str) -> bool:
        return "casussen" in s and sum(" open " in line for line in s.splitlines()) >= 5

    # n: the new-case form; four tabs to its first text area (parents, one per line).
    return Target(name, argv, env, str(checkout), dashboard,
                  [("n", 1.0)] + [(TAB, 0.4)] * 4, "Ctrl+S: opslaan",
                  (board, db) if board is not None else None)


def fresh(t: Target) -> None:
    """A fresh copy of the board database for every process: what one session typed (the
    new-case form's draft) must not be in the next one's form."""
    if t.db is not None:
        for suffix in ("-wal", "-shm"):
            Path(str(t.db[1]) + suffix).unlink(missing_ok=True)
        shutil.copyfile(*t.db)


def start_once(t: Target, cols: int, rows: int) -> tuple[float, int]:
    fresh(t)
    p = BenchProgram(t.argv, cols=cols, rows=rows, env=t.env, cwd=t.cwd)
    try:
        when = p.wait_until(t.dashboard)
        return when - p.t0, p.total
    finally:
        p.close()


def shaped_lag(chunks: list[tuple[float, bytes]], prefix: bytes, cols: int, rows: int,
               last_key: float, marker: str) -> float:
    """Replay what the program wrote through the shaped link (virtual time); the time from the
    last key typed until the user's screen shows ``marker``."""
    screen = pyte.Screen(cols, rows)
    stream = pyte.ByteStream(screen)
    stream.feed(prefix)
    line_free = 0.0
    for t, data in chunks:
        start = max(t, line_free)
        line_free = start + len(data) / RATE
        arrives = line_free + ONE_WAY
        stream.feed(data)
        if marker in "".join(screen.display):
            return arrives - last_key
    return float("nan")


def session(t: Target, cols: int, rows: int, idle: float) -> dict:
    fresh(t)
    p = BenchProgram(t.argv, cols=cols, rows=rows, env=t.env, cwd=t.cwd)
    r: dict = {}
    try:
        p.wait_until(t.dashboard)
        p.quiet(1.5)        # what follows the first frame (the app: plugins) is not idle
        # idle on the dashboard
        n0 = p.total
        p.pump(idle)
        r["idle_dash"] = (p.total - n0) / idle
        # cursor moves
        n0 = p.total
        for key in [DOWN] * 8 + [UP] * 8:      # within the rows in view: no scrolling
            p.send(key)
            p.pump(0.25)
        p.quiet()
        r["move"] = (p.total - n0) / 16
        for i, (keys, pause) in enumerate(t.open_text):
            p.send(keys)
            if i == 0:      # under load the form can take a while; the tabs must land in it
                p.wait_until(lambda s: t.form in s)
            p.pump(pause)
            p.quiet()
        n0 = p.total
        p.pump(idle)
        r["idle_text"] = (p.total - n0) / idle
        # 100 characters at 10/s; each reaches the program 100 ms after it was typed
        text = typed_text()
        p.quiet()
        prefix = b"".join(c for _t, c in p.chunks)
        first = len(p.chunks)
        n0 = p.total
        typed_at = time.monotonic() + 0.01
        sent = 0
        while sent < len(text):
            now = time.monotonic()
            due = typed_at + sent * 0.1 + ONE_WAY
            if now >= due:
                p.send(text[sent])
                sent += 1
            else:
                p.pump(min(due - now, 0.02))
        last_key = typed_at + (len(text) - 1) * 0.1
        p.quiet()
        r["char"] = (p.total - n0) / len(text)
        marker = text.split()[-1]
        r["lag"] = shaped_lag(p.chunks[first:], prefix, cols, rows, last_key, marker)
    finally:
        p.close()
    return r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("db", type=Path, help="board database (copied, not changed)")
    ap.add_argument("--before", type=Path, help="another checkout of the app, for a column")
    ap.add_argument("--app", type=Path, default=ROOT, help="the checkout measured as 'app'")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--idle", type=float, default=5.0)
    ap.add_argument("--sizes", default="80x24,120x40")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pty-bench-"))
    config = tmp / "config.toml"
    config.write_text(f'[access]\nall_cases = ["{USER}"]\n', encoding="utf-8")
    targets = [floor_target()]
    dbs = []
    for name, checkout in (("before", args.before), ("app", args.app)):
        if checkout is None:
            continue
        db = tmp / f"{name}.sqlite"
        dbs.append(db)
        targets.append(app_target(name, checkout.resolve(), db, config, args.db))
    try:
        for size in args.sizes.split(","):
            cols, rows = (int(x) for x in size.split("x"))
            starts: dict[str, list[float]] = {t.name: [] for t in targets}
            paint: dict[str, int] = {}
            for _ in range(args.runs):
                for t in targets:
                    s, b = start_once(t, cols, rows)
                    starts[t.name].append(s)
                    paint[t.name] = b
            res = {t.name: session(t, cols, rows, args.idle) for t in targets}
            for t in targets:
                res[t.name]["start"] = statistics.median(starts[t.name])
                res[t.name]["paint"] = paint[t.name]
            report(size, targets, res)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


ROWS = [("start → first painted dashboard (s)", "start", "{:.2f}"),
        ("bytes of the first paint", "paint", "{:,.0f}"),
        ("bytes per cursor move (dashboard)", "move", "{:,.0f}"),
        ("bytes per typed character (text area)", "char", "{:,.0f}"),
        ("bytes per second idle, dashboard", "idle_dash", "{:,.0f}"),
        ("bytes per second idle, text area", "idle_text", "{:,.0f}"),
        ("lag after 100 chars, 2 KB/s 200 ms RTT (s)", "lag", "{:.1f}")]


def report(size: str, targets: list[Target], res: dict) -> None:
    names = [t.name for t in targets]
    head = f"| {size} | " + " | ".join(names) + " | " + " | ".join(f"{n}/floor" for n in names[1:]) + " |"
    print()
    print(head)
    print("|" + "---|" * (1 + 2 * len(names) - 1))
    for label, key, fmt in ROWS:
        cells = [fmt.format(res[n][key]) for n in names]
        ratios = []
        for n in names[1:]:
            f = res["floor"][key]
            ratios.append(f"{res[n][key] / f:.2f}×" if f else "–")
        print(f"| {label} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
