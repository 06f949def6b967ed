"""Headless rendering of a tab's chart to PNG or SVG (``rotation-desk export-chart``).

The chart is produced by the same tab class the window shows, with the same
services, so an exported chart and the one on screen are the same chart. The
tab is never shown: it computes, lays the chart out at the asked size and
renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from PySide6.QtCore import QCoreApplication

from rotation_desk.core.export_views import VIEWS, canonical_view
from rotation_desk.data.market import MarketData
from rotation_desk.errors import BadInput, DataUnavailable
from rotation_desk.ui.app.tab_host import TAB_CLASSES
from rotation_desk.ui.kit import theme as themes
from rotation_desk.ui.state.view_state import ViewState
from rotation_desk.ui.tabs.base import Tab, TabServices

__all__ = ["VIEWS", "ExportRequest", "RenderSession", "build_tab", "check_request", "render", "view_tabs"]


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
    proxies: tuple[tuple[str, str], ...] = ()  # (fund, proxy): --proxy, for the views whose tab takes them


def check_request(req: ExportRequest) -> None:
    tabs = view_tabs()
    if canonical_view(req.view) not in tabs:
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


def build_tab(market: MarketData, settings, req: ExportRequest, problems: list[str] | None = None, pump=None) -> Tab:
    """The tab that renders ``req.view``, configured by the request and computed (never shown).

    Problems the tab reports while computing (no prices in the window, …) are
    appended to ``problems``. ``pump``: see ``Tab.wait_idle`` (the window's reports).
    """
    view_state = ViewState(settings.default_range, settings.benchmark)
    if req.start is not None or req.end is not None:
        view_state.set_custom(req.start, req.end)
    services = TabServices(market=market, settings=settings, view_state=view_state, theme=themes.resolve(req.theme))
    tab = view_tabs()[canonical_view(req.view)](services)
    if problems is not None:
        tab.status_message.connect(lambda text, error: error and problems.append(text))
    if req.tickers:
        tab.use_tickers(list(req.tickers))
    tab.use_proxies(dict(req.proxies), canonical_view(req.view))  # none: the remembered ones are not used either
    tab.select_view(req.view)
    tab.resize(req.width, req.height)
    tab.ensure_current(pooled=pump is not None)
    if not tab.wait_idle(pump=pump):
        raise DataUnavailable(f"the {req.view} chart took too long to compute")
    QCoreApplication.processEvents()  # deliver queued results
    tab.wait_idle(pump=pump)  # a result may start a follow-up computation
    QCoreApplication.processEvents()
    return tab


def render(market: MarketData, settings_file: Path, req: ExportRequest) -> Path:
    """Write the chart; BadInput / DataUnavailable say what is wrong (nothing is written then).

    The user's settings (default range, benchmark, watchlists) are read but never written.
    """
    check_request(req)
    with RenderSession(market, settings_file, req) as session:
        return session.write_chart(req.view, req.out)


class RenderSession:
    """Renders several views in one process: one tab per tab class, computed once and reused for
    each of its views (``export-chart all``, reports). ``base`` gives the size, theme, range and
    tickers; ``tickers`` go only to the views that take them (``takes_tickers``) when ``strict`` is
    false (``all``: a ticker list is for the ticker views, the others keep their defaults)."""

    def __init__(self, market: MarketData, settings_file: Path, base: ExportRequest, strict: bool = True, pump=None):
        from rotation_desk.ui.app.start import application

        application()
        self.pump = pump  # see Tab.wait_idle: the window's reports keep the event loop running
        self.market = market
        self.base = base
        self.strict = strict
        self.settings, self.settings_notice = load_settings_readonly(settings_file)
        self.settings.check_tickers(set(market.ticker_names()))  # an entry naming an uncached ticker: its default
        self._tabs: dict[tuple, tuple[Tab, list[str]]] = {}

    def __enter__(self) -> RenderSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for tab, _problems in self._tabs.values():
            tab.deleteLater()
        self._tabs.clear()
        QCoreApplication.processEvents()

    def request(self, view: str) -> ExportRequest:
        """The base request for ``view`` (its tickers dropped when the view does not take them)."""
        view = canonical_view(view)
        tickers = self.base.tickers
        if not self.strict and tickers and not takes_tickers(view, tickers):
            tickers = ()
        keep = self.strict or view in view_tabs()[view].cls.proxy_views
        return replace(self.base, view=view, tickers=tickers, proxies=self.base.proxies if keep else ())

    def tab(self, view: str) -> Tab:
        """The computed tab that shows ``view``, brought to that view (DataUnavailable if it cannot)."""
        req = self.request(view)
        cls = view_tabs()[req.view]
        key = (cls, req.tickers, req.proxies)
        if key not in self._tabs:
            problems: list[str] = []
            self._tabs[key] = (build_tab(self.market, self.settings, req, problems, self.pump), problems)
            return self._tabs[key][0]
        tab, _problems = self._tabs[key]  # its tickers are applied (the key holds them)
        tab.select_view(req.view)
        tab.ensure_current(pooled=self.pump is not None)
        tab.wait_idle(pump=self.pump)
        QCoreApplication.processEvents()
        return tab

    def chart(self, view: str):
        """The chart of ``view``, ready to render; DataUnavailable names why it is empty."""
        tab = self.tab(view)
        req = self.request(view)
        _tab, problems = self._tabs[(view_tabs()[req.view], req.tickers, req.proxies)]
        chart = tab.chart_for_view(canonical_view(view))
        if problems:
            raise DataUnavailable(f"{canonical_view(view)}: {problems[0]}")
        if chart.message():
            raise DataUnavailable(f"{canonical_view(view)}: {chart.message()}")
        return chart

    def parts(self, view: str, with_table: bool = False) -> list:
        """The parts of ``view``'s export (``Tab.export_parts``), its chart checked as ``chart`` does."""
        self.chart(view)
        return self.tab(view).export_parts(canonical_view(view), with_table)

    def chart_data(self, view: str, suffix: str, with_table: bool = False) -> bytes:
        """The view's export (a chart, or a composite: tilt, ``with_table``) as PNG or SVG bytes."""
        from rotation_desk.ui.charts.composite import Chart, composite_image, composite_svg
        from rotation_desk.ui.charts.export import png_bytes

        req = self.base
        parts = self.parts(view, with_table)
        png = suffix.lower() == ".png"
        if len(parts) == 1 and isinstance(parts[0], Chart):
            chart = parts[0].panel
            if png:
                return png_bytes(chart.render_image(req.width, req.height, req.scale))
            return chart.svg_data(req.width, req.height)
        if png:
            return png_bytes(composite_image(parts, req.width, req.height, req.scale, self.theme()))
        return composite_svg(parts, req.width, req.height, self.theme(), canonical_view(view))

    def write_chart(self, view: str, out: Path, with_table: bool = False) -> Path:
        from rotation_desk.ui.charts.export import write_file

        return write_file(Path(out), self.chart_data(view, Path(out).suffix, with_table))

    def table_data(self, view: str, suffix: str, width: int | None = None) -> bytes:
        """The table the view shows, alone, at its natural size (``width`` if given), as PNG or SVG bytes."""
        from rotation_desk.ui.charts.composite import composite_image, composite_svg, table_only
        from rotation_desk.ui.charts.export import png_bytes

        self.chart(view)
        table = self.tab(view).current_table()
        if table is None or table.model().rowCount() == 0 and not table.frame_pending():
            raise DataUnavailable(f"the {canonical_view(view)} view has no table to export")
        parts, w, h = table_only(table, self.theme(), width)
        if suffix.lower() == ".png":
            return png_bytes(composite_image(parts, w, h, self.base.scale, self.theme(), fit=False))
        return composite_svg(parts, w, h, self.theme(), f"{canonical_view(view)} table", fit=False)

    def theme(self):
        return themes.resolve(self.base.theme)


def takes_tickers(view: str, tickers) -> bool:
    """Whether ``tickers`` (from ``--tickers``) fit ``view``: pairs for ratios, T=W weights for tilt,
    plain tickers for the other chart views; the dca view takes none."""
    pairs = all("/" in t for t in tickers)
    weights = all("=" in t for t in tickers)
    if view == "ratios":
        return pairs
    if view == "tilt":
        return weights
    if view == "dca":
        return False
    return not pairs and not weights


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
