"""Issue 3 figures: chart updates in place vs rebuilding, PNG export vs pyqtgraph's ImageExporter,
and the longest GUI-thread stall while a background task writes to the store."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pandas as pd  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from pyqtgraph.exporters import ImageExporter  # noqa: E402

from bench.timing import best_of, row  # noqa: E402
from rotation_desk.core.returns import rebase  # noqa: E402
from rotation_desk.data.market import MarketData  # noqa: E402
from rotation_desk.data.paths import resolve_paths  # noqa: E402
from rotation_desk.ui.app import application  # noqa: E402
from rotation_desk.ui.chart_axes import growth_style  # noqa: E402
from rotation_desk.ui.chart_panel import ChartPanel, unix_seconds  # noqa: E402

WATCHLIST = ["SPY", "QQQ", "IWM", "IWD", "IWF", "IWN", "VBR", "DFAT", "AVUV", "ACWX", "EEMV", "GLD", "TLT"]


def _windows(closes: pd.DataFrame) -> list[dict[str, pd.Series]]:
    last = closes.index[-1]
    out = []
    for years in (1, 3, 5, 10, 30):
        start = last - pd.DateOffset(years=years)
        part = closes.loc[start:, WATCHLIST]
        out.append({t: rebase(part[t].dropna()) for t in WATCHLIST if part[t].notna().sum() > 1})
    return out


def bench_range_switch(app, closes, repeat: int) -> dict:
    windows = _windows(closes)
    panel = ChartPanel("bench", growth_style())
    panel.resize(1400, 700)
    panel.show()
    app.processEvents()

    def ours():
        for w in windows:
            panel.set_series(w)
            panel.view.repaint()

    plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem(utcOffset=0)})
    plot.resize(1400, 700)
    plot.show()
    app.processEvents()

    def peer():  # the naive way: clear the plot and add new curves on every range change
        for w in windows:
            plot.clear()
            for i, (name, s) in enumerate(w.items()):
                plot.plot(unix_seconds(s.index), s.to_numpy(), pen=pg.intColor(i), name=name)
            plot.repaint()

    t_ours, t_peer = best_of(ours, repeat), best_of(peer, repeat)
    panel.close()
    plot.close()
    return row("switch range 5× (13 series, 1Y…30Y) and repaint", t_ours, "clear() + plot() per change", t_peer,
               "setData on existing curves, clip-to-view, peak downsampling")


def bench_export(app, closes, tmp: Path, repeat: int) -> dict:
    series = _windows(closes)[-1]
    panel = ChartPanel("bench", growth_style())
    panel.set_series(series)
    panel.set_title("Watchlist", "30 years")
    panel.resize(1400, 700)
    ours = best_of(lambda: panel.export_png(tmp / "ours.png", 1600, 900), repeat)

    def peer():
        exporter = ImageExporter(panel.view.scene())
        exporter.parameters()["width"] = 1600
        exporter.export(str(tmp / "peer.png"))

    t_peer = best_of(peer, repeat)
    return row("export chart to PNG 1600×900 (13 series, 30 years)", ours, "pyqtgraph ImageExporter", t_peer,
               "ours lays the scene out at the export size (title, legend, source in the image)")


def bench_stall(app, market: MarketData) -> dict:
    """Longest gap between 5 ms GUI timer ticks while a worker rewrites 20 tickers' history."""
    from PySide6.QtCore import QTimer

    from rotation_desk.ui.workers import TaskRunner

    runner = TaskRunner()
    names = market.ticker_names()[:20]
    frames = {t: market.store.read_history(t) for t in names}

    def work(task):
        for i, t in enumerate(names):
            market.store.replace_history(t, frames[t], source="snapshot")
            task.report_progress(i + 1, len(names), t)
        return len(names)

    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    done = []
    t0 = time.perf_counter()
    timer.start()
    runner.start(work, "bench", on_success=done.append)
    while not done:
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - t0
    timer.stop()
    t_block = time.perf_counter()
    work(type("T", (), {"report_progress": lambda *a: None})())
    blocking = time.perf_counter() - t_block
    return row("longest GUI stall while rewriting 20 tickers in a worker", max(gaps), "same work on the GUI thread",
               blocking, f"worker took {elapsed * 1e3:.0f} ms; stall budget 100 ms")


def run(quick: bool = False) -> list[dict]:
    app = application()
    repeat = 2 if quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        market = MarketData(resolve_paths(Path(tmp) / "rd"), offline=True)
        closes = market.all_closes()
        rows = [bench_range_switch(app, closes, repeat), bench_export(app, closes, Path(tmp), repeat), bench_stall(app, market)]
        market.store.close()
    return rows
