"""Headless rendering of a tab's chart to PNG or SVG (``rotation-desk export-chart``).

The chart is produced by the same tab class the window shows, with the same
services, so an exported chart and the one on screen are the same chart. The
tab is never shown: it computes, lays the chart out at the asked size and
renders it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QCoreApplication

from rotation_desk.data.market import MarketData
from rotation_desk.errors import BadInput, DataUnavailable
from rotation_desk.ui.app.tab_host import TAB_CLASSES
from rotation_desk.ui.kit import theme as themes
from rotation_desk.ui.state.view_state import ViewState
from rotation_desk.ui.tabs.base import Tab, TabServices

VIEWS = (
    "overview",
    "ratios",
    "compare",
    "drawdown",
    "correlation",
    "rrg",
    "tilt",
    "dca",
)  # the export-chart views (README, docs/architecture.md)


def view_tabs() -> dict[str, type[Tab]]:
    """Which tab class renders each VIEW."""
    return {view: cls for cls in TAB_CLASSES for view in cls.views}


@dataclass(frozen=True)
class ExportRequest:
    view: str
    out: Path
    width: int = 1600
    height: int = 900
    scale: float = 1.0
    tickers: tuple[str, ...] = ()
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None
    theme: str = "light"


def check_request(req: ExportRequest) -> None:
    tabs = view_tabs()
    if req.view not in tabs:
        raise BadInput(f"unknown chart view {req.view!r}; choose one of: {', '.join(v for v in VIEWS if v in tabs)}")
    if req.out.suffix.lower() not in (".png", ".svg"):
        raise BadInput(f"{req.out}: the output file must end in .png or .svg")
    for side, value in (("width", req.width), ("height", req.height)):
        if not 200 <= value <= 8000:
            raise BadInput(f"--{side} must be between 200 and 8000 pixels (got {value})")
    if req.start is not None and req.end is not None and req.end <= req.start:
        raise BadInput("--end must be after --start")
    if req.theme not in ("light", "dark"):
        raise BadInput("--theme must be light or dark")


def build_tab(market: MarketData, settings, req: ExportRequest, problems: list[str] | None = None) -> Tab:
    """The tab that renders ``req.view``, configured by the request and computed (never shown).

    Problems the tab reports while computing (no prices in the window, …) are
    appended to ``problems``.
    """
    view_state = ViewState(settings.default_range, settings.benchmark)
    if req.start is not None or req.end is not None:
        view_state.set_custom(req.start, req.end)
    services = TabServices(market=market, settings=settings, view_state=view_state, theme=themes.resolve(req.theme))
    tab = view_tabs()[req.view](services)
    if problems is not None:
        tab.status_message.connect(lambda text, error: error and problems.append(text))
    if req.tickers:
        tab.use_tickers(list(req.tickers))
    tab.select_view(req.view)
    tab.resize(req.width, req.height)
    tab.ensure_current()
    if not tab.wait_idle():
        raise DataUnavailable(f"the {req.view} chart took too long to compute")
    QCoreApplication.processEvents()  # deliver queued results
    tab.wait_idle()  # a result may start a follow-up computation
    QCoreApplication.processEvents()
    return tab


def render(market: MarketData, settings_file: Path, req: ExportRequest) -> Path:
    """Write the chart; BadInput / DataUnavailable say what is wrong (nothing is written then).

    The user's settings (default range, benchmark, watchlists) are read but never written.
    """
    from rotation_desk.ui.app.start import application

    check_request(req)
    application()
    settings, _notice = load_settings_readonly(settings_file)
    settings.check_tickers(set(market.ticker_names()))  # an entry naming an uncached ticker: its default
    problems: list[str] = []
    tab = build_tab(market, settings, req, problems)
    try:
        chart = tab.chart_for_view(req.view)
        if problems:
            raise DataUnavailable(problems[0])
        if chart.message():
            raise DataUnavailable(chart.message())
        if req.out.suffix.lower() == ".png":
            return chart.export_png(req.out, req.width, req.height, req.scale)
        return chart.export_svg(req.out, req.width, req.height)
    finally:
        tab.deleteLater()


def load_settings_readonly(path: Path):
    """Settings for an export: the user's if readable, else the defaults (a bad file is left alone)."""
    import json

    from rotation_desk.ui.state.settings import MAX_FILE_BYTES, Settings

    try:
        path = Path(path)
        if path.stat().st_size > MAX_FILE_BYTES:
            return Settings(), "settings file not used (too large)"
        settings = Settings.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return Settings(), None
    except (OSError, ValueError, RecursionError) as exc:
        return Settings(), f"settings file not used ({type(exc).__name__})"
    return settings, ("; ".join(settings.notices) or None)
