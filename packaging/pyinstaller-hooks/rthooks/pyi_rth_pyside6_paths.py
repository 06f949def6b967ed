# Run-time hook for PySide6 in the frozen app, in place of PyInstaller's own (rthooks.dat in this folder;
# a hook folder named in the spec's hookspath comes before PyInstaller's). It sets the same environment as
# PyInstaller's hook (QML aside, which this app does not use): Qt's plugin and QML paths inside the bundle,
# and the bundle on PATH (Windows) or DYLD_LIBRARY_PATH (a plain macOS build, for QtNetwork's OpenSSL).
#
# What it leaves out is the import of PySide6.QtCore that PyInstaller's hook makes at every start, to register
# an embedded qt.conf: the PySide6 wheels this app is built from register that qt.conf themselves when
# PySide6 is first imported. That import cost every command about 0.1 s, `--version` and the commands that
# never open a window included. tests/test_packaging_spec.py checks that this hook is the one the spec uses.


def _pyi_rthook():
    import os
    import sys

    from _pyi_rth_utils import is_macos_app_bundle, prepend_path_to_environment_variable
    from _pyi_rth_utils import qt as qt_rth_utils

    qt_rth_utils.ensure_single_qt_bindings_package("PySide6")
    if sys.platform.startswith("win"):
        qt_path = os.path.join(sys._MEIPASS, "PySide6")
        prepend_path_to_environment_variable(sys._MEIPASS, "PATH")
    else:
        qt_path = os.path.join(sys._MEIPASS, "PySide6", "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(qt_path, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(qt_path, "qml")
    if sys.platform == "darwin" and not is_macos_app_bundle:  # a .app finds them in Contents/Frameworks
        prepend_path_to_environment_variable(sys._MEIPASS, "DYLD_LIBRARY_PATH")


_pyi_rthook()
del _pyi_rthook
