"""The frozen build's run-time hook for PySide6 (packaging/pyinstaller-hooks): it is the one the spec uses,
and it sets Qt's paths without importing Qt (PyInstaller's own imported PySide6.QtCore at every start)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOOKS = ROOT / "packaging" / "pyinstaller-hooks"


def test_spec_names_the_hook_folder_and_the_folder_maps_pyside6_to_our_hook():
    spec = (ROOT / "packaging" / "rotation-desk.spec").read_text(encoding="utf-8")
    assert 'hookspath=[str(ROOT / "packaging" / "pyinstaller-hooks")]' in spec
    table = ast.literal_eval((HOOKS / "rthooks.dat").read_text(encoding="utf-8"))
    assert table == {"PySide6": ["pyi_rth_pyside6_paths.py"]}
    assert (HOOKS / "rthooks" / "pyi_rth_pyside6_paths.py").is_file()


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
