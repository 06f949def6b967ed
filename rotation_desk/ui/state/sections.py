"""One settings section per tab, plus the chart and export preferences: typed defaults and their checks.

Each field is declared once, with its default and its validation
(``fields.setting``); the tabs read and write attributes
(``settings.compare.rolling = "3Y"``), never dictionary keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from rotation_desk.core.pairs import DEFAULT_PAIR_KEYS, MAX_PAIRS
from rotation_desk.core.rrg import DEFAULT_TAIL
from rotation_desk.ui.state import fields as f
from rotation_desk.ui.state.fields import setting

REBALANCE_RULES = ("monthly", "quarterly", "yearly", "never")
COMPARE_MODES = ("common", "full", "range")
ROLLING_CHOICES = ("3M", "6M", "1Y", "3Y")
MAX_WATCHLIST = 24
MAX_COMPARE = 12
MAX_SECTORS = 24


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
    """ETF Comparison: the funds, the window mode, the rolling window and the fee amount."""

    tickers: list[str] = setting(["DFAT", "VBR", "AVUV", "EEMV"], f.tickers(MAX_COMPARE))
    window_mode: str = setting("common", f.choice(*COMPARE_MODES))
    rolling: str = setting("1Y", f.choice(*ROLLING_CHOICES))
    fee_amount: float = setting(10_000.0, f.number(1, 1e9))


@dataclass
class SectorsSettings:
    """Sector Tilts: the RRG's tickers, frequency and tail; the tilt backtest's last valid weights and rule."""

    tickers: list[str] = setting(
        ["XLK", "XLF", "XLI", "XLY", "XLP", "XLU", "XLE", "XLV", "XLB", "XLRE", "XLC"], f.tickers(MAX_SECTORS)
    )
    frequency: str = setting("weekly", f.choice("weekly", "daily"))
    tail: int = setting(DEFAULT_TAIL, f.number(1, 52, whole=True))
    weights: dict[str, float] = setting({"SPY": 70.0, "XLI": 10.0, "XLF": 10.0, "XLY": 10.0}, f.weights())
    rebalance: str = setting("monthly", f.choice(*REBALANCE_RULES))


@dataclass
class DcaSettings:
    """DCA Planner: what a new plan starts with, the plan open last time, the projection's target."""

    contribution: float = setting(500.0, f.number(1, 1e9))
    allocation: dict[str, float] = setting({"VBR": 40.0, "DFAT": 30.0, "EEMV": 30.0}, f.weights(tolerance=1e-6))
    last_plan: str | None = setting(None, f.optional(f.file_name))
    target: float | None = setting(None, f.optional(f.number(0, 1e15)))


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


def _names(value, where) -> list[str]:
    if not isinstance(value, list) or len(value) > 500 or not all(isinstance(v, str) and len(v) < 200 for v in value):
        raise f.SettingsError(f"{where}: expected a list of series names")
    return list(value)


TAB_SECTIONS = {
    "overview": OverviewSettings,
    "compare": CompareSettings,
    "sectors": SectorsSettings,
    "dca": DcaSettings,
}
