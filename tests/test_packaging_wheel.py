"""The package works installed from a wheel, not only from the source tree."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    (path,) = out.glob("rotation_desk-*.whl")
    return path


def test_wheel_holds_code_and_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "rotation_desk/__init__.py",
        "rotation_desk/data/store.py",
        "rotation_desk/cli/main.py",
        "rotation_desk/resources/snapshot.csv.xz",
        "rotation_desk/resources/etf_facts.csv",
        "rotation_desk/resources/proxies.csv",
        "rotation_desk/resources/F-F_Research_Data_5_Factors_2x3.csv.xz",
        "rotation_desk/resources/F-F_Research_Data_5_Factors_2x3_daily.CSV.xz",
        "rotation_desk/guide/user-guide.md",  # docs/user-guide.md: the window's help (F1)
    ):
        assert needed in names
    assert not any(n.startswith("tests/") for n in names)


def test_installed_wheel_seeds_from_its_own_resources(wheel, tmp_path):
    """Run from the unpacked wheel with site processing off (-S), so the editable
    install's import hook cannot serve the source tree; dependencies come from
    the site-packages folders added by hand, after the wheel."""
    import site as site_module

    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    deps = [p for p in site_module.getsitepackages() if Path(p).is_dir()]
    code = (
        "import sys; sys.path[:0] = [sys.argv[1]]; sys.path += sys.argv[3:];"
        "import rotation_desk;"
        "assert rotation_desk.__file__.startswith(sys.argv[1]), rotation_desk.__file__;"
        "from rotation_desk.cli.main import main;"
        "sys.exit(main(['--offline', '--data-dir', sys.argv[2], 'data', 'list', '--format', 'csv']))"
    )
    proc = subprocess.run(
        [sys.executable, "-S", "-c", code, str(unpacked), str(tmp_path / "data"), *deps],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 89 and lines[1].startswith("ACWI,2008-03-28,2026-08-03,")


def test_installed_wheel_has_the_user_guide_the_help_shows(wheel, tmp_path):
    """F1's help reads docs/user-guide.md as package data (rotation_desk/guide), not from a source tree."""
    import site as site_module

    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    deps = [p for p in site_module.getsitepackages() if Path(p).is_dir()]
    code = (
        "import sys; sys.path[:0] = [sys.argv[1]]; sys.path += sys.argv[2:];"
        "import rotation_desk.data.resources as r;"
        "assert r.__file__.startswith(sys.argv[1]), r.__file__;"
        "from importlib import resources;"
        "text = resources.files('rotation_desk.guide').joinpath('user-guide.md').read_text(encoding='utf-8');"
        "assert r.read_guide() == text;"
        "print(text.count('\\n## '))"
    )
    proc = subprocess.run(
        [sys.executable, "-S", "-c", code, str(unpacked), *deps], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) >= 8  # a section per tab, the conventions, settings, exit codes, where data lives
    assert (ROOT / "docs" / "user-guide.md").read_text(encoding="utf-8").count("\n## ") == int(proc.stdout)
