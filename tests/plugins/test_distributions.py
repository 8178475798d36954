"""Real distributions in a fresh venv: the main package as a NON-editable wheel (the default
catalogue must be inside it), the kinderopvang plugin, and deliberately broken plugins.

One venv for everything (module fixture). The venv gets the test environment's dependencies
(textual, pluggy, rapidfuzz ...) through a .pth file; meldcode-tui and the plugins are really
installed into it with pip (no network: --no-index --no-deps --no-build-isolation).
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
KINDEROPVANG = REPO / "plugins" / "meldcode-catalogue-kinderopvang"

BROKEN = {
    # dist suffix: (entry point name, module source)
    "import": ("kapot_import", "raise ImportError('deze plugin is stuk (fictief)')\n"),
    "hook": ("kapot_hook", "from meldcode_tui.plugins import hookimpl\n\n@hookimpl\n"
                           "def meldcode_catalogues():\n    return 1 / 0\n"),
    "rommel": ("kapot_rommel", "from meldcode_tui.plugins import hookimpl\n\n@hookimpl\n"
                               "def meldcode_catalogues():\n    return ['geen catalogus']\n"),
    "spelling": ("kapot_spelling", "from meldcode_tui.plugins import hookimpl\n\n@hookimpl\n"
                                   "def meldcode_catalogus():\n    return []\n"),
}


def _run(cmd, **kw):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=240, **kw)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result


def _broken_dist(root: Path, suffix: str, ep_name: str, source: str) -> Path:
    module = f"meldcode_test_kapot_{suffix}"
    d = root / f"meldcode-test-kapot-{suffix}"
    d.mkdir()
    (d / f"{module}.py").write_text(source, encoding="utf-8")
    (d / "pyproject.toml").write_text(textwrap.dedent(f"""\
        [build-system]
        requires = ["setuptools>=61"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "meldcode-test-kapot-{suffix}"
        version = "0.0.1"

        [project.entry-points.meldcode]
        {ep_name} = "{module}"

        [tool.setuptools]
        py-modules = ["{module}"]
        """), encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    root = tmp_path_factory.mktemp("dist")
    # 1. a non-editable wheel of the main package, built from a copy (keeps the tree clean)
    src = root / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "meldcode_tui", src / "meldcode_tui", symlinks=True, ignore=ignore)
    shutil.copytree(REPO / "catalogues", src / "catalogues", ignore=ignore)
    wheels = root / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]

    # 2. a fresh venv that borrows only the dependencies from the test environment; it gets
    #    its own build tools (from the configured package index) so that nothing is built
    #    with build isolation (one download instead of one per distribution)
    env_dir = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)])
    python = env_dir / "bin" / "python"
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (purelib / "_meldcode_test_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    target = pip + ["--python", str(python)]
    _run(target + ["install", "--quiet", "setuptools>=68", "wheel"])
    _run(target + ["wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(wheels), str(src)])
    wheel = next(wheels.glob("meldcode_tui-*.whl"))

    # 3. install the wheel, the kinderopvang plugin and the broken plugins into it
    plugin_copy = root / "meldcode-catalogue-kinderopvang"
    shutil.copytree(KINDEROPVANG, plugin_copy, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    broken = [_broken_dist(root, s, ep, code) for s, (ep, code) in BROKEN.items()]
    _run(target + ["install", "--no-deps", "--no-build-isolation", "--no-index",
                   str(wheel), str(plugin_copy), *map(str, broken)])

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    return {"python": python, "purelib": purelib, "env": env, "wheel": wheel, "root": root}


def meldcode(venv, *args, config: str | None = None, check=True):
    env = dict(venv["env"])
    if config is not None:
        cfg = venv["root"] / "config.toml"
        cfg.write_text(config, encoding="utf-8")
        env["MELDCODE_CONFIG"] = str(cfg)
    cmd = [str(venv["python"]), "-c", "from meldcode_tui.cli import main; main()", *args]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env, cwd=venv["root"])
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_wheel_contains_the_default_catalogue(venv):
    import zipfile

    names = zipfile.ZipFile(venv["wheel"]).namelist()
    assert "meldcode_tui/catalogues/meldcode-basis.toml" in names


def test_installed_plugin_is_listed_loaded_and_usable(venv):
    data = json.loads(meldcode(venv, "plugins", "--json").stdout)
    st = {p["name"]: p for p in data["plugins"]}
    ko = st["kinderopvang"]
    assert ko["loaded"] is True and ko["reason"] == ""
    assert ko["dist"] == "meldcode-catalogue-kinderopvang" and ko["version"] == "0.1.0"
    assert ko["catalogues"] == [{"id": "kinderopvang-0-4", "signals": 31}]
    # the default catalogue comes from the installed (non-editable) wheel
    assert st["builtin_catalogues"]["loaded"] is True
    listed = json.loads(meldcode(venv, "catalogue", "list", "--json").stdout)
    basis = {c["id"]: c for c in listed["catalogues"]}["meldcode-basis"]
    assert basis["path"].startswith(str(venv["purelib"])), basis["path"]
    # its signals are usable: search finds one, with an age filter from the basis catalogue
    code = ("from meldcode_tui.plugins import load_plugins; h = load_plugins(); "
            "m = h.search_signals('verschonen', age_group=h.age_group_for(2)); "
            "print([x.ref for x in m if x.catalogue_id == 'kinderopvang-0-4'][0]['signal_id'])")
    out = subprocess.run([str(venv["python"]), "-c", code], capture_output=True, text=True,
                         env=venv["env"], timeout=60, check=True).stdout.strip()
    assert out == "ko-022"
    shown = json.loads(meldcode(venv, "catalogue", "show", "kinderopvang-0-4", "--search", "luier", "--json").stdout)
    assert "ko-006" in [s["id"] for s in shown["signals"]]


def test_broken_plugins_are_reported_and_the_app_still_works(venv):
    result = meldcode(venv, "plugins")
    assert "kinderopvang  (meldcode-catalogue-kinderopvang 0.1.0)" in result.stdout
    data = json.loads(meldcode(venv, "plugins", "--json").stdout)
    st = {p["name"]: p for p in data["plugins"]}
    assert "kan niet worden geïmporteerd" in st["kapot_import"]["reason"]
    assert "ZeroDivisionError" in st["kapot_hook"]["reason"]
    assert "geen Catalogue-object maar str" in st["kapot_rommel"]["reason"]
    assert "onbekende hook 'meldcode_catalogus'" in st["kapot_spelling"]["reason"]
    assert st["kapot_spelling"]["dist"] == "meldcode-test-kapot-spelling"
    for name in ("kapot_import", "kapot_hook", "kapot_rommel", "kapot_spelling"):
        assert st[name]["loaded"] is False
    # the good ones still give their catalogues
    assert st["kinderopvang"]["loaded"] and st["builtin_catalogues"]["loaded"]


def test_block_an_installed_plugin(venv):
    data = json.loads(meldcode(venv, "plugins", "--json", config='[plugins]\nblock = ["kinderopvang"]\n').stdout)
    ko = {p["name"]: p for p in data["plugins"]}["kinderopvang"]
    assert ko["loaded"] is False and ko["disabled_by_config"] is True
    listed = json.loads(meldcode(venv, "catalogue", "list", "--json",
                                 config='[plugins]\nblock = ["kinderopvang"]\n').stdout)
    assert "kinderopvang-0-4" not in [c["id"] for c in listed["catalogues"]]
