"""The desktop app (PySide6 + pyqtgraph). Nothing outside ``rotation_desk.ui`` imports Qt.

Importing this package makes PySide6's import hook cheap, without importing Qt itself (the tabs' compute
modules live under ``ui`` and stay Qt-free). Once PySide6 is loaded, every module imported after it is
checked for the word "PySide6" (the hook behind its opt-in ``__feature__`` syntax) with
``inspect.getsource``, which keeps every such file's lines in ``linecache`` for the life of the process:
about 40 MB for pandas, pyqtgraph, exchange_calendars and this app, and time on every import. So numpy and
pandas (which never use Qt) are imported here, before Qt, and as soon as PySide6 is loaded (now, or when it
is first imported) the check is made on the file's bytes instead: the same question, answered without
keeping the source (``_cheap_pyside_check``).
"""

import importlib.abc
import importlib.util
import sys

import numpy  # noqa: F401  (before Qt: see above)
import pandas  # noqa: F401


def _cheap_pyside_check() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    upstream = getattr(feature, "_mod_uses_pyside", None)
    if upstream is None or getattr(upstream, "rotation_desk", False):
        return  # not loaded yet, another PySide6 that works differently, or done already

    def uses_pyside(module) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return upstream(module)  # built-in, compiled or source-less: as PySide6 decides
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return False  # as upstream: a module without a readable source file does not use features

    uses_pyside.rotation_desk = True
    feature._mod_uses_pyside = uses_pyside


class _AfterPySide(importlib.abc.MetaPathFinder):
    """Applies ``_cheap_pyside_check`` right after PySide6 (and its QtCore) is imported, then leaves."""

    NAMES = ("PySide6", "PySide6.QtCore")

    def find_spec(self, name, path, target=None):
        if name not in self.NAMES:
            return None
        sys.meta_path.remove(self)  # the real spec, found without this finder
        try:
            spec = importlib.util.find_spec(name)
        finally:
            if name != self.NAMES[-1]:
                sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module

        def exec_module(module, run=run):
            run(module)
            _cheap_pyside_check()

        spec.loader.exec_module = exec_module
        return spec


if "PySide6.QtCore" in sys.modules:
    _cheap_pyside_check()
else:
    sys.meta_path.insert(0, _AfterPySide())
