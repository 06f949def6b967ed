"""The desktop app (PySide6 + pyqtgraph). Nothing outside ``rotation_desk.ui`` imports Qt.

Importing this package first makes PySide6's import hook cheap. Once PySide6.QtCore is loaded, every
module imported after it is checked for the word "PySide6" (the hook behind its opt-in ``__feature__``
syntax) with ``inspect.getsource``, which keeps every such file's lines in ``linecache`` for the life of
the process: about 40 MB for pandas, pyqtgraph, exchange_calendars and this app, and time on every import.
So numpy and pandas (which never use Qt) are imported before Qt, and the check is made on the file's
bytes instead: the same question, answered without keeping the source (``_cheap_pyside_check``).
"""

import sys

import numpy  # noqa: F401  (before Qt: see above)
import pandas  # noqa: F401
import PySide6.QtCore  # noqa: F401  (loads the hook patched below)


def _cheap_pyside_check() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    upstream = getattr(feature, "_mod_uses_pyside", None)
    if upstream is None or getattr(upstream, "rotation_desk", False):
        return  # another PySide6 that works differently, or done already

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


_cheap_pyside_check()
