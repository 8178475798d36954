"""The config load refuses a config (or catalogue folder) that the service account, or anyone,
could change (the same check as ``admin keys write``: file_safety.writable_by); ``prompt = true``
is refused under ``serve``; an admin command run by an account without the rights says so in one
Dutch line. File owners are real: the files are given to the real unprivileged ``nobody``."""

from __future__ import annotations

import os
import pwd
import subprocess

import pytest

from meldcode_tui.config import load_config
from meldcode_tui.errors import InputError

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="chown to another account needs root")


@pytest.fixture
def nobody():
    return pwd.getpwnam("nobody")


def _config(tmp_path, text="[school]\nname = \"OBS De Fictieve Linde\"\n"):
    folder = tmp_path / "etc"
    folder.mkdir(mode=0o755)
    path = folder / "meldcode.toml"
    path.write_text(text)
    path.chmod(0o640)
    return path


@root_only
def test_a_root_owned_config_loads(tmp_path, nobody):
    path = _config(tmp_path)
    os.chown(path, 0, nobody.pw_gid)
    assert load_config(path, service_uid=nobody.pw_uid).school_name == "OBS De Fictieve Linde"


@root_only
def test_a_config_the_service_account_owns_is_refused(tmp_path, nobody):
    path = _config(tmp_path)
    os.chown(path, nobody.pw_uid, nobody.pw_gid)
    with pytest.raises(InputError) as err:
        load_config(path, service_uid=nobody.pw_uid)
    assert "service-account 'nobody'" in str(err.value) and "chown root:" in str(err.value)
    # A person's own config on a laptop (no service account) still loads.
    assert load_config(path).school_name


@root_only
def test_a_group_writable_config_of_the_service_accounts_group_is_refused(tmp_path, nobody):
    path = _config(tmp_path)
    os.chown(path, 0, nobody.pw_gid)
    path.chmod(0o660)
    with pytest.raises(InputError, match="service-account 'nobody'"):
        load_config(path, service_uid=nobody.pw_uid)


def test_a_config_anyone_may_change_is_refused_everywhere(tmp_path):
    path = _config(tmp_path)
    path.chmod(0o666)
    with pytest.raises(InputError, match="iedereen"):
        load_config(path)
    path.chmod(0o644)
    path.parent.chmod(0o777)
    with pytest.raises(InputError, match="iedereen"):
        load_config(path)


def test_a_catalogue_folder_with_mode_777_is_refused(tmp_path):
    folder = tmp_path / "catalogi"
    folder.mkdir()
    folder.chmod(0o777)
    path = _config(tmp_path, f'[catalogues]\nfolders = ["{folder}"]\n')
    with pytest.raises(InputError, match="Catalogusmap"):
        load_config(path)
    folder.chmod(0o755)
    assert load_config(path).catalogue_folders == (folder,)


def test_prompt_is_refused_under_serve(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from meldcode_tui.cli import main

    path = _config(tmp_path, "[encryption]\nprompt = true\n")
    monkeypatch.setenv("SSH_ORIGINAL_COMMAND", "export MC-0001 --format markdown")
    result = CliRunner().invoke(main, ["--config", str(path), "--db", str(tmp_path / "s.sqlite"),
                                       "serve", "--user", "anouk"])
    assert result.exit_code == 3
    assert "prompt = true werkt niet via 'serve'" in result.output
    assert "key_file" in result.output


@pytest.mark.slow
@root_only
def test_admin_commands_without_the_rights_say_so_in_one_dutch_line(tmp_path):
    from .deployment import Deployment

    d = Deployment()
    try:
        why = d.make_venv()
        if why:
            pytest.skip(why)
        data = d.base / "data"
        data.mkdir(mode=0o700)
        db = data / "school.sqlite"
        subprocess.run([str(d.meldcode), "--db", str(db), "admin", "user", "list"], check=True,
                       env=d.env(), capture_output=True)
        for args in (["admin", "user", "list"], ["admin", "keys", "write", "--file",
                                                 str(d.base / "ak")],
                     ["admin", "config", "--file", str(data / "x.toml")], ["verify"],
                     ["checkpoint"], ["backup", str(d.base / "b.sqlite")],
                     ["admin", "check"], ["admin", "backups", str(data)],
                     ["admin", "user", "add", "eva", "--display-name", "Eva (fictief)",
                      "--role", "member"],
                     ["admin", "user", "disable", "eva", "--reason", "Vertrokken (fictief)"],
                     ["admin", "encrypt", "--key-file", str(data / "k")],
                     ["retention", "apply", "--years", "2", "--reason", "Reglement (fictief)"]):
            r = subprocess.run(["runuser", "-u", "nobody", "--", str(d.meldcode), "--db",
                                str(db), *args], env=d.env(), cwd="/", capture_output=True,
                               text=True, timeout=60)
            assert r.returncode in (2, 3), (args, r.stderr)
            lines = r.stderr.strip().splitlines()
            # one line (retention says first that the config has no period of its own)
            assert len(lines) == (2 if args[0] == "retention" else 1), (args, r.stderr)
            assert "onverwachte fout" not in r.stderr and "Traceback" not in r.stderr
            assert any(w in lines[-1] for w in ("root", "rechten", "niet worden gelezen")), (args, lines)
    finally:
        d.cleanup()
