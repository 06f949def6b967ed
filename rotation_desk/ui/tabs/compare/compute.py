"""What the ETF Comparison tab shows, computed and worded without Qt (tested without a window).

- ``compute``: the inputs the tab gathers on the GUI thread → ``core.comparison_charts.build_comparison``,
  whose metrics rows are ``core.comparison.metrics_rows``, the function behind ``rotation-desk metrics``;
  it runs on the worker pool when the tab is on screen and in place when it is hidden (export-chart).
- ``WindowWords``: which window the figures cover, in the words of the window bar, the chart
  subtitles and the table caption.
- ``table_rows``: the metrics table's rows and cell tooltips (fund name, expense ratio with its as-of
  date and source, fees paid, drawdown dates).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.comparison import WindowError
from rotation_desk.core.comparison_charts import Comparison, build_comparison
from rotation_desk.data.facts import FundFacts
from rotation_desk.errors import DataUnavailable
from rotation_desk.ui.kit import formats

MAX_FUNDS = 12
FEE_ON = 10_000.0  # the yearly fee column, as on the command line
MODES = (("common", "Common window"), ("full", "Full history of each"), ("range", "Toolbar range"))

FundLookup = Callable[[str], FundFacts | None]


def compute(inputs: Mapping | None, _cancelled=None) -> Comparison | None:
    """The comparison for the gathered inputs (None when no fund is chosen); a window the funds do not
    share is ``DataUnavailable``, said as the command line says it."""
    if not inputs:
        return None
    try:
        return build_comparison(**inputs)
    except WindowError as exc:
        raise DataUnavailable(str(exc)) from None


def expense_ratios(tickers: Iterable[str], fund: FundLookup) -> dict[str, float | None]:
    """Each ticker's yearly expense ratio (None when the ETF facts do not know the fund)."""
    out = {}
    for t in tickers:
        f = fund(t)
        out[t] = f.expense_ratio if f is not None else None
    return out


@dataclass(frozen=True)
class WindowWords:
    """The toolbar's range (preset, custom dates) and how a comparison's window is described with it."""

    preset: str
    custom_range: tuple[pd.Timestamp | None, pd.Timestamp | None] = (None, None)

    def range_name(self) -> str:
        """The toolbar's range in a word or two: "5Y", "custom"."""
        return "custom" if self.preset == "Custom" else self.preset

    def range_phrase(self) -> str:
        """ "5Y range", "custom range 2019-01-01 – 2024-12-31", "custom range from 2019-01-01"."""
        if self.preset != "Custom":
            return f"{self.preset} range"
        start, end = self.custom_range
        if start is not None and end is not None:
            return f"custom range {formats.date_range(start, end)}"
        if start is not None:
            return f"custom range from {formats.day(start)}"
        return f"custom range to {formats.day(end)}" if end is not None else "custom range"

    def window_text(self, data: Comparison) -> str:
        """The window bar's sentence: which window every figure uses, and the benchmark."""
        bench = f" · benchmark {data.benchmark}" if data.benchmark else ""
        if data.mode == "common":
            return (
                f"{data.describe_window()}{bench} · the toolbar range ({self.range_name()}) "
                "is used only in “Toolbar range” mode"
            )
        if data.mode == "full":
            starts = sorted((r["start"], r["ticker"]) for r in data.rows if r["ticker"] in data.funds)
            first, last = starts[0], starts[-1]
            span = f"{first[1]} from {formats.day(first[0])}"
            if last[1] != first[1]:
                span += f" … {last[1]} from {formats.day(last[0])}"
            end = max(r["end"] for r in data.rows)
            return (
                f"full history of each fund ({span}; to {formats.day(end)}): rows cover different periods, "
                f"so compare them with care{bench}"
            )
        return f"toolbar {self.range_in_window(data)}{bench}"

    def range_in_window(self, data: Comparison) -> str:
        """How the toolbar's range meets the funds' common window (range mode)."""
        phrase = self.range_phrase()
        if data.window.limited_by:
            return f"{phrase} starts before {data.window.limited_by}'s first close, so: {data.describe_window()}"
        row = next(r for r in data.rows if r["ticker"] in data.funds)
        closes = formats.date_range(row["start"], row["end"])
        if self.preset == "Custom":
            return f"{phrase} (closes {closes}, common to all funds)"
        return f"{phrase}: {closes}, common to all funds"

    def subtitle(self, data: Comparison) -> str:
        """The window under every chart title and in the table caption."""
        if data.mode == "full":
            return f"full history of each · {formats.date_range(data.first, data.last)}"
        if data.mode == "range":
            return self.range_in_window(data)
        return data.describe_window()


def table_rows(
    data: Comparison, fund: FundLookup, fees: Mapping[str, float], amount: float, converted: bool = False
) -> tuple[list[dict], dict[tuple[int, str], str], list[int]]:
    """The metrics table: one row per ticker (funds, then the benchmark), the cell tooltips by
    (row, column key), and the rows shown in bold (a benchmark that is not one of the funds).
    Each row's ``currency`` is its figures' (USD when ``converted``: "Show in USD")."""
    rows, tips = [], {}
    for i, r in enumerate(data.rows):
        t = r["ticker"]
        f = fund(t)
        ratio = f.expense_ratio if f is not None else None
        row = dict(r)
        inst = data.instruments.get(t)
        row["currency"] = None if inst is None or inst.is_rate else ("USD" if converted else inst.currency_code)
        row["name"] = f.name if f is not None else ""
        row["expense_ratio"] = np.nan if ratio is None else ratio
        row["yearly_fee_on_10000"] = np.nan if ratio is None else f.yearly_fee(FEE_ON)
        row["fees_paid"] = fees.get(t, np.nan)
        row["best_year"] = "" if r["best_year"] is None else str(r["best_year"])
        row["worst_year"] = "" if r["worst_year"] is None else str(r["worst_year"])
        rows.append(row)
        if f is not None:
            tips[(i, "name")] = f"{f.name} · {f.group} · {f.issuer}"
            tips[(i, "ticker")] = tips[(i, "name")]
        if ratio is not None:
            tips[(i, "expense_ratio")] = (
                f"{f.expense_ratio_pct:.2f} % a year, as of {f.expense_ratio_as_of}\nSource: {f.source}"
            )
            tips[(i, "fees_paid")] = (
                f"{f.expense_ratio_pct:.2f} % a year on {formats.money(amount)} held "
                f"{formats.date_range(r['start'], r['end'])}, accrued daily on the growing balance"
            )
        if r["max_drawdown_peak"] is not None:
            rec = formats.day(r["max_drawdown_recovery"]) if r["max_drawdown_recovery"] is not None else "not yet"
            tips[(i, "max_drawdown")] = (
                f"peak {formats.day(r['max_drawdown_peak'])}, trough {formats.day(r['max_drawdown_trough'])}, "
                f"recovered {rec}"
            )
        if r["max_drawdown_recovery"] is None and r["max_drawdown_peak"] is not None:
            tips[(i, "max_drawdown_recovery")] = f"not back at the {formats.day(r['max_drawdown_peak'])} peak yet"
    bold = [i for i, r in enumerate(rows) if r["ticker"] == data.benchmark and r["ticker"] not in data.funds]
    return rows, tips, bold
