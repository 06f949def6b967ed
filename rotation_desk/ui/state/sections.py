"""One settings section per tab, plus the chart and export preferences: typed defaults and their checks.

Each field is declared once, with its default and its validation
(``fields.setting``); the tabs read and write attributes
(``settings.compare.rolling = "3Y"``), never dictionary keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from rotation_desk.core.dca.buys import FIELDS as MAPPING_FIELDS
from rotation_desk.core.pairs import DEFAULT_PAIR_KEYS, MAX_PAIRS
from rotation_desk.core.proxy import MAX_PROXIES
from rotation_desk.core.rrg import DEFAULT_TAIL
from rotation_desk.ui.state import fields as f
from rotation_desk.ui.state.fields import setting

REBALANCE_RULES = ("monthly", "quarterly", "yearly", "never")
COMPARE_MODES = ("common", "full", "range")
ROLLING_CHOICES = ("3M", "6M", "1Y", "3Y")
MAX_WATCHLIST = 24
MAX_COMPARE = 12
MAX_SECTORS = 24
MAX_PINNED = 2  # portfolios beside the editor's in the side-by-side tilt comparison (three in all)
QUADRANTS = ("Leading", "Weakening", "Lagging", "Improving")


@dataclass
class OverviewSettings:
    """Market Overview: the watchlist and the rotation pairs ("NUM/DEN")."""

    watchlist: list[str] = setting(
        ["SPY", "QQQ", "IWM", "IWD", "IWF", "IWN", "VBR", "DFAT", "AVUV", "ACWX", "EEMV", "GLD", "TLT"],
        f.tickers(MAX_WATCHLIST),
    )
    pairs: list[str] = setting(list(DEFAULT_PAIR_KEYS), f.pairs(MAX_PAIRS))


@dataclass
class CompareSettings:
    """ETF Comparison: the funds, the window mode, the rolling window, the fee amount, daily or month-end
    statistics; the Factors page's model, returns, rolling span and fund; the fund of the monthly grid and
    of the drawdowns; the rolling figure and window to the benchmark."""

    tickers: list[str] = setting(["DFAT", "VBR", "AVUV", "EEMV"], f.tickers(MAX_COMPARE))
    window_mode: str = setting("common", f.choice(*COMPARE_MODES))
    proxies: dict[str, str] = setting({}, lambda v, w: _proxies(v, w))  # fund -> the proxy extending it back
    rolling: str = setting("1Y", f.choice(*ROLLING_CHOICES))
    fee_amount: float = setting(10_000.0, f.number(1, 1e9))
    returns: str = setting("daily", f.choice("daily", "monthly"))
    factor_model: str = setting("ff5", f.choice("capm", "ff3", "ff5"))
    factor_frequency: str = setting("monthly", f.choice("monthly", "daily"))
    factor_rolling: str = setting("2Y", f.choice("1Y", "2Y", "3Y", "5Y"))
    factor_fund: str | None = setting(None, f.optional(f.ticker))
    grid_fund: str | None = setting(None, f.optional(f.ticker))
    drawdown_fund: str | None = setting(None, f.optional(f.ticker))
    relative_figure: str = setting("correlation", f.choice("correlation", "beta"))
    relative_window: str = setting("1Y", f.choice(*ROLLING_CHOICES))


@dataclass
class SectorsSettings:
    """Sector Tilts: the RRG's tickers, frequency and tail; the tilt backtest's last valid weights, rule, bands,
    cost, the portfolios pinned beside it and the proxies extending its holdings; the Strategies page's rule
    and its inputs."""

    tickers: list[str] = setting(
        ["XLK", "XLF", "XLI", "XLY", "XLP", "XLU", "XLE", "XLV", "XLB", "XLRE", "XLC"], f.tickers(MAX_SECTORS)
    )
    frequency: str = setting("weekly", f.choice("weekly", "daily"))
    tail: int = setting(DEFAULT_TAIL, f.number(1, 52, whole=True))
    weights: dict[str, float] = setting({"SPY": 70.0, "XLI": 10.0, "XLF": 10.0, "XLY": 10.0}, f.weights())
    rebalance: str = setting("monthly", f.choice(*REBALANCE_RULES))
    band_kind: str = setting("off", f.choice("off", "absolute", "relative"))
    band_width: float = setting(5.0, f.number(0.5, 99))
    cost_bps: float = setting(0.0, f.number(0, 1000))
    pinned: list[dict[str, float]] = setting([], lambda v, w: _portfolios(v, w))
    proxies: dict[str, str] = setting({}, lambda v, w: _proxies(v, w))  # the tilt's "Extend history" per holding
    strategy_rule: str = setting("pair", f.choice("pair", "rrg"))
    strategy_pair: str = setting("IWM/SPY", lambda v, w: _pair(v, w))
    strategy_average: int = setting(200, f.number(2, 2520, whole=True))
    strategy_quadrants: list[str] = setting(["Leading", "Improving"], lambda v, w: _quadrants(v, w))
    strategy_frequency: str = setting("weekly", f.choice("weekly", "daily"))
    strategy_cost_bps: float = setting(0.0, f.number(0, 1000))


@dataclass
class DcaSettings:
    """DCA Planner: what a new plan starts with, the plan open last time, the projection's target, and the
    column mapping of each buys-file layout imported (header signature -> {field: column})."""

    contribution: float = setting(500.0, f.number(1, 1e9))
    allocation: dict[str, float] = setting({"VBR": 40.0, "DFAT": 30.0, "EEMV": 30.0}, f.weights(tolerance=1e-6))
    proxies: dict[str, str] = setting({}, lambda v, w: _proxies(v, w))  # the backtest's "Extend history" per fund
    last_plan: str | None = setting(None, f.optional(f.file_name))
    target: float | None = setting(None, f.optional(f.number(0, 1e15)))
    buy_mappings: dict[str, dict[str, str]] = setting({}, lambda v, w: _mappings(v, w))


@dataclass
class ChartPrefs:
    """Per chart: log scale and the series hidden from the legend."""

    log: bool = setting(False, f.flag)
    hidden: list[str] = setting([], lambda v, w: _names(v, w))


EXPORT_SIDE = (200, 8000)  # pixels: what the export dialog and export-chart accept


@dataclass
class ExportPrefs:
    """The chart export's defaults: pixel size, 2× for HiDPI, the folder ("" = the Pictures folder)."""

    width: int = setting(1600, f.number(*EXPORT_SIDE, whole=True))
    height: int = setting(900, f.number(*EXPORT_SIDE, whole=True))
    hidpi: bool = setting(False, f.flag)
    folder: str = setting("", f.text(4096))


def _portfolios(value, where) -> list[dict[str, float]]:
    """Up to ``MAX_PINNED`` portfolios of ticker: percent weights summing to 100."""
    if not isinstance(value, list) or len(value) > MAX_PINNED:
        raise f.SettingsError(f"{where}: expected a list of at most {MAX_PINNED} portfolios")
    return [f.weights()(w, f"{where}[{i}]") for i, w in enumerate(value)]


def _pair(value, where) -> str:
    """One "NUM/DEN" pair."""
    if not isinstance(value, str):
        raise f.SettingsError(f'{where}: expected a pair such as "IWM/SPY"')
    return f.pairs(1)([value], where)[0]


def _quadrants(value, where) -> list[str]:
    if not isinstance(value, list) or not value or not set(value) <= set(QUADRANTS):
        raise f.SettingsError(f"{where}: expected RRG quadrants ({', '.join(QUADRANTS)})")
    return list(dict.fromkeys(value))


def _names(value, where) -> list[str]:
    if not isinstance(value, list) or len(value) > 500 or not all(isinstance(v, str) and len(v) < 200 for v in value):
        raise f.SettingsError(f"{where}: expected a list of series names")
    return list(value)


def _proxies(value, where) -> dict[str, str]:
    """{fund: proxy} ("Extend history…"): tickers, neither a fund and its own proxy nor a proxy extended itself."""
    if not isinstance(value, dict) or len(value) > MAX_PROXIES:
        raise f.SettingsError(f"{where}: expected at most {MAX_PROXIES} fund: proxy pairs")
    out = {f.ticker(k, where): f.ticker(v, f"{where}.{k}") for k, v in value.items()}
    if any(k == v or v in out for k, v in out.items()):
        raise f.SettingsError(f"{where}: a proxy must be another fund's plain series")
    return out


MAX_MAPPINGS = 100


def _mappings(value, where) -> dict[str, dict[str, str]]:
    """{layout signature: {field: column}}: at most ``MAX_MAPPINGS`` layouts, fields of a buy only."""
    if not isinstance(value, dict) or len(value) > MAX_MAPPINGS:
        raise f.SettingsError(f"{where}: expected at most {MAX_MAPPINGS} column mappings")
    out = {}
    for key, mapping in value.items():
        ok = isinstance(key, str) and 0 < len(key) <= 64 and isinstance(mapping, dict)
        ok = ok and all(k in MAPPING_FIELDS and isinstance(c, str) and 0 < len(c) <= 200 for k, c in mapping.items())
        if not ok:
            raise f.SettingsError(f"{where}: {str(key)[:40]!r} is not a column mapping")
        out[key] = dict(mapping)
    return out


TAB_SECTIONS = {
    "overview": OverviewSettings,
    "compare": CompareSettings,
    "sectors": SectorsSettings,
    "dca": DcaSettings,
}
