"""The frozen build's run-time hooks (packaging/pyinstaller-hooks), the ones the spec uses in place of
PyInstaller's: PySide6's sets Qt's paths without importing Qt (PyInstaller's imported PySide6.QtCore at every
start), pyi_rth_deferred.py runs PyInstaller's hooks for inspect, pkgutil and multiprocessing when each
module is first imported instead of at every start, and pyi_rth_plain_finder.py leaves the imports to Python's
own finder when the module archive is empty (the spec's noarchive)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "packaging" / "pyinstaller-hooks"


DEFERRED = ["inspect", "pkgutil", "multiprocessing"]


def fresh_python(script: str, *args: object) -> str:
    """What ``script`` prints in a fresh interpreter (-I -S: isolated, no site, so none of the deferred modules
    is imported at start), given ``args`` as sys.argv[1:]."""
    cmd = [sys.executable, "-I", "-S", "-c", script, *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout


def test_spec_names_the_hook_folder_and_the_folder_maps_the_modules_to_our_hooks():
    spec = (ROOT / "packaging" / "rotation-desk.spec").read_text(encoding="utf-8")
    assert '_HOOKS = ROOT / "packaging" / "pyinstaller-hooks"' in spec
    assert "hookspath=[str(_HOOKS)]" in spec
    # the spec bundles PyInstaller's hook of every module the table gives to the deferred hook
    assert '"pyi_rth_deferred.py" in files' in spec
    assert '_PYI_RTHOOKS / f"pyi_rth_{module}.py"), "_pyi_rthooks_deferred")' in spec
    table = ast.literal_eval((HOOKS / "rthooks.dat").read_text(encoding="utf-8"))
    assert table == {"PySide6": ["pyi_rth_pyside6_paths.py"], "rotation_desk": ["pyi_rth_plain_finder.py"]} | {
        m: ["pyi_rth_deferred.py"] for m in DEFERRED
    }
    assert "    noarchive=True," in spec
    for files in table.values():
        assert all((HOOKS / "rthooks" / f).is_file() for f in files)


def test_entry_point_imports_multiprocessing_only_for_a_process_multiprocessing_started():
    tree = ast.parse((ROOT / "packaging" / "entry.py").read_text(encoding="utf-8"))
    top = [alias.name for node in tree.body if isinstance(node, ast.Import) for alias in node.names]
    assert "multiprocessing" not in top
    guarded = [
        node for node in ast.walk(tree) if isinstance(node, ast.If) and "multiprocessing-fork" in ast.unparse(node.test)
    ]
    assert guarded and "multiprocessing.freeze_support()" in ast.unparse(guarded[0])


# Run by fresh_python with stand-ins for PyInstaller's hooks, which record what they saw when they ran.
DEFERRED_RUN = """
import json, sys
sys._MEIPASS = sys.argv[1]
sys.ran = []
hook = sys.argv[2]
exec(compile(open(hook).read(), hook, "exec"), {"__name__": "__main__"})
seen = {"at_start": list(sys.ran), "not_imported": [m for m in ("inspect", "pkgutil", "multiprocessing") if m not in sys.modules]}
import multiprocessing.spawn
import pkgutil
seen["after_two"] = list(sys.ran)
import inspect
import inspect
seen["after_all"] = list(sys.ran)
seen["finders_left"] = [type(f).__name__ for f in sys.meta_path if type(f).__name__ == "DeferredHooks"]
seen["loaders"] = {m: type(sys.modules[m].__loader__).__name__ for m in ("inspect", "pkgutil", "multiprocessing")}
seen["spec_loaders"] = {m: type(sys.modules[m].__spec__.loader).__name__ for m in ("inspect", "pkgutil", "multiprocessing")}
print(json.dumps(seen))
"""

STAND_IN = """
import sys
import {module}
sys.ran.append([{module!r}, hasattr({module}, {attribute!r}), type({module}.__loader__).__name__])
"""


def test_deferred_hook_runs_each_hook_once_when_its_module_is_first_imported(tmp_path):
    folder = tmp_path / "_pyi_rthooks_deferred"
    folder.mkdir()
    # "os" is imported before any run-time hook runs: its hook runs at once
    attributes = {
        "inspect": "getsourcefile",
        "pkgutil": "iter_modules",
        "multiprocessing": "freeze_support",
        "os": "sep",
    }
    for module, attribute in attributes.items():
        (folder / f"pyi_rth_{module}.py").write_text(STAND_IN.format(module=module, attribute=attribute))
    seen = json.loads(fresh_python(DEFERRED_RUN, tmp_path, HOOKS / "rthooks" / "pyi_rth_deferred.py"))
    assert [entry[:2] for entry in seen["at_start"]] == [["os", True]]
    assert seen["not_imported"] == ["inspect", "pkgutil", "multiprocessing"]
    # each hook ran after its module's code (the attribute exists), seeing the module's own loader
    assert [entry[:2] for entry in seen["after_two"]] == [["os", True], ["multiprocessing", True], ["pkgutil", True]]
    assert [entry[:2] for entry in seen["after_all"]] == [
        ["os", True],
        ["multiprocessing", True],
        ["pkgutil", True],
        ["inspect", True],
    ]
    assert all(entry[2] != "HookAfterExec" for entry in seen["after_all"])
    assert seen["finders_left"] == []  # gone once the last hook has run
    assert set(seen["loaders"].values()) == {"SourceFileLoader"} == set(seen["spec_loaders"].values())


def test_deferred_hook_without_its_folder_does_nothing(tmp_path):
    hook = HOOKS / "rthooks" / "pyi_rth_deferred.py"
    script = "import sys; sys._MEIPASS = sys.argv[1]; exec(open(sys.argv[2]).read()); import inspect; print(len(sys.meta_path))"
    plain = fresh_python("import sys; print(len(sys.meta_path))")
    assert fresh_python(script, tmp_path, hook) == plain


def test_hook_sets_the_paths_and_imports_no_qt():
    source = (HOOKS / "rthooks" / "pyi_rth_pyside6_paths.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(name and name.startswith(("PySide6", "shiboken6")) for name in imported), imported
    assert "importlib" not in source  # nor through import_module
    for variable in ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH"):
        assert f'os.environ["{variable}"]' in source
    assert 'ensure_single_qt_bindings_package("PySide6")' in source


# PyInstaller's bootstrap module as the plain-finder hook sees it: its finder class, its path hook and the
# archive's table of contents (empty with the spec's noarchive).
PYIMOD = """
class PyiFrozenFinder:
    def __init__(self, path):
        self.path = path

    @classmethod
    def path_hook(cls, path):
        return cls(path)


class _Archive:
    toc = {toc}


pyz_archive = _Archive()
"""

PLAIN_RUN = """
import sys
sys.path.insert(0, sys.argv[1])
import pyimod02_importers as pyi
sys.path_hooks.insert(1, pyi.PyiFrozenFinder.path_hook)
sys.path_importer_cache["/bundle/_internal"] = pyi.PyiFrozenFinder("/bundle/_internal")
sys.path_importer_cache["/elsewhere"] = None
exec(open(sys.argv[2]).read(), {"__name__": "__main__"})
print(pyi.PyiFrozenFinder.path_hook in sys.path_hooks, [k for k in ("/bundle/_internal", "/elsewhere") if k in sys.path_importer_cache])
"""


@pytest.mark.parametrize(
    ("toc", "expected"),
    [("{}", "False ['/elsewhere']"), ("{'json': (0, 0, 0)}", "True ['/bundle/_internal', '/elsewhere']")],
)
def test_plain_finder_hook_takes_pyinstallers_finder_out_only_when_the_archive_is_empty(tmp_path, toc, expected):
    (tmp_path / "pyimod02_importers.py").write_text(PYIMOD.format(toc=toc))
    hook = HOOKS / "rthooks" / "pyi_rth_plain_finder.py"
    assert fresh_python(PLAIN_RUN, tmp_path, hook).strip() == expected
