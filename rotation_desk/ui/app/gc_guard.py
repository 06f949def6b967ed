"""Python's cyclic garbage collector, run on the GUI thread only.

With automatic collection on, a collection can start in whichever thread
happens to allocate, a worker included. If it frees a Qt widget that sat in a
reference cycle, the widget is destroyed in the worker thread, which Qt does
not allow: seen here as a deadlock (the worker waits for the GIL inside
~QObject while the GUI thread waits for a Qt lock). So automatic collection is
switched off and the GUI thread collects on a timer, generation by
generation, with the interpreter's own thresholds (the recipe PySide and PyQt
applications use).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 300


class MainThreadGC(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> int:
        """Collect the generations whose counts passed their thresholds (as automatic gc would)."""
        t0, t1, t2 = self.thresholds
        c0, c1, c2 = gc.get_count()
        freed = 0
        if c0 > t0:
            freed += gc.collect(0)
            if c1 > t1:
                freed += gc.collect(1)
                if c2 > t2:
                    freed += gc.collect(2)
        return freed


def install(app) -> MainThreadGC:
    """Once per application (idempotent)."""
    guard = getattr(app, "_rotation_desk_gc", None)
    if guard is None:
        guard = MainThreadGC(app)
        app._rotation_desk_gc = guard
    return guard
