"""core and data stay free of Qt, pyqtgraph and the ui (the layers in docs/architecture.md)."""

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "rotation_desk"
FORBIDDEN = ("PySide6", "pyqtgraph", "rotation_desk.ui", "rotation_desk.cli", "shiboken6")


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            names.append("." * node.level + (node.module or ""))
    return names


@pytest.mark.parametrize("layer", ["core", "data"])
def test_layer_imports_no_qt_or_ui(layer):
    files = sorted((PKG / layer).rglob("*.py"))
    assert files, f"no modules in rotation_desk/{layer}"
    offenders = []
    for path in files:
        for name in imported_modules(path):
            if name.startswith(".."):
                offenders.append(f"{path.name}: relative import {name} leaves the layer")
            if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
                offenders.append(f"{path.relative_to(PKG)} imports {name}")
    assert offenders == []


def test_core_does_no_io_or_network():
    for path in (PKG / "core").rglob("*.py"):
        for name in imported_modules(path):
            assert not name.startswith(("yfinance", "sqlite3", "curl_cffi", "requests", "rotation_desk.data")), (
                f"{path.name} imports {name}"
            )


def test_only_yahoo_module_imports_yfinance():
    users = [
        str(p.relative_to(PKG))
        for p in PKG.rglob("*.py")
        if any(n == "yfinance" or n.startswith("yfinance.") for n in imported_modules(p))
    ]
    assert users in ([], ["data/yahoo.py"])


def test_the_check_itself_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport pyqtgraph as pg\n")
    names = imported_modules(bad)
    assert any(n.startswith("PySide6") for n in names) and "pyqtgraph" in names


MAX_LINES = 400


def test_no_module_over_400_lines():
    """Modules stay small enough to read whole; a longer one is split by what its parts hold."""
    long = {
        str(p.relative_to(PKG)): n
        for p in PKG.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, f"modules over {MAX_LINES} lines: {long}"


def test_import_contracts_hold():
    """The import-linter contracts in pyproject.toml (layers, Qt-free core and data, core without I/O,
    tabs independent of each other); CI also runs ``lint-imports`` itself."""
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("lint-imports")
    if not exe.exists():
        pytest.skip("import-linter is not installed")
    proc = subprocess.run(
        [str(exe), "--no-logo", "--no-cache"], cwd=PKG.parent, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_every_package_is_listed_for_the_wheel():
    """pyproject.toml lists the packages explicitly (resources/ is mapped into the package): a new
    folder must be added there, or the installed app would miss it."""
    import tomllib

    listed = set(tomllib.loads((PKG.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(PKG.parent).parts)
        for p in PKG.rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found - listed == set(), f"add these to [tool.setuptools] packages: {sorted(found - listed)}"


def test_version_is_answered_before_the_command_line_machinery_is_imported():
    """A bare `--version` prints the installed version without argparse, logging, the data paths or
    importlib.metadata (the version is written once, in rotation_desk/__init__.py, and pyproject.toml reads it
    from there), so it costs little more than the interpreter's own start; the frozen build also skips the
    run-time hooks of modules it never imports (packaging/pyinstaller-hooks)."""
    import subprocess
    import sys
    from importlib.metadata import version

    import rotation_desk

    assert version("rotation-desk") == rotation_desk.__version__
    heavy = ["argparse", "logging", "sqlite3", "importlib.metadata", "inspect", "dataclasses", "platformdirs"]
    code = (
        "import sys\n"
        "from rotation_desk.cli.main import main\n"
        "code = main(['--version'])\n"
        f"print(code, [m for m in {heavy!r} if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.splitlines() == [f"rotation-desk {rotation_desk.__version__}", "0 []"], out.stderr[-300:]


def test_a_command_that_draws_nothing_imports_no_qt(tmp_path):
    """`--version`, `data list` and `export-chart --help` run without importing the ui package or Qt (the
    export views' names, which the help lists, live in core for that reason)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from rotation_desk.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "print(code, 'PySide6' in sys.modules, any(m.startswith('rotation_desk.ui') for m in sys.modules))\n"
    )
    data = ["--offline", "--data-dir", str(tmp_path / "d")]
    for args, qt in (
        (["--version"], False),
        ([*data, "data", "list"], False),
        ([*data, "export-chart", "--help"], False),
    ):
        out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)
        assert out.stdout.split()[-3:] == ["0", str(qt), str(qt)], (args, out.stdout[-300:], out.stderr[-300:])
