"""What the ETF Comparison's analysis pages compute (Qt-free, tested without a window): the monthly
returns grid, the worst drawdowns and the rolling correlation and beta to the benchmark; the factor
exposure is in ``factor_compute``.

Every page uses the comparison's window (``compute.MODES``): the funds' common window, each fund's
full history, or the toolbar's range cut to the common window, resolved by
``core.comparison_charts.resolve_mode_window`` exactly as the comparison (and so the metrics table)
resolves it. Each figure is then the core function over that window, nothing recomputed here:

- monthly grid: ``core.comparison_tables.monthly_grid(closes, window.start, window.end)``, the months
  whose last session is inside the window, each from the previous month-end close;
- worst drawdowns: ``core.comparison_tables.worst_drawdowns`` of the closes in the window
  (``core.metrics.window_prices``, the metrics' window, so the deepest is the table's max drawdown);
- rolling correlation and beta: ``core.comparison_tables.rolling_relative`` of each fund's closes in
  the window against the benchmark's.

Each job computes every ticker of the comparison, so choosing another fund on a page only redraws.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rotation_desk.core.comparison import Window, WindowError
from rotation_desk.core.comparison_charts import resolve_mode_window
from rotation_desk.core.comparison_tables import MonthlyGrid, monthly_grid, rolling_relative, worst_drawdowns
from rotation_desk.core.metrics import drawdown_series, window_prices
from rotation_desk.core.rolling import WINDOW_WORDS
from rotation_desk.errors import DataUnavailable
from rotation_desk.ui.kit import formats

WORST = 5  # drawdowns listed
RELATIVE_FIGURES = (("correlation", "Correlation"), ("beta", "Beta"))


@dataclass(frozen=True)
class WindowInputs:
    """What every analysis job gathers on the GUI thread: the closes and the comparison's window choice."""

    closes: pd.DataFrame  # the funds and the benchmark
    funds: tuple[str, ...]
    benchmark: str | None
    mode: str  # "common" | "full" | "range"
    start: pd.Timestamp | None = None  # the toolbar's range (mode "range" only)
    end: pd.Timestamp | None = None

    @property
    def names(self) -> list[str]:
        """The funds, then the benchmark when it is not one of them."""
        bench = [self.benchmark] if self.benchmark and self.benchmark not in self.funds else []
        return [*self.funds, *bench]

    def window(self) -> Window:
        """The comparison's window; funds that share no sessions are ``DataUnavailable`` (as the comparison)."""
        try:
            return resolve_mode_window(self.closes, list(self.funds), self.mode, self.start, self.end)
        except WindowError as exc:
            raise DataUnavailable(str(exc)) from None

    def prices(self, name: str, window: Window) -> pd.Series:
        """``name``'s closes in the window, named by the ticker (the metrics' ``window_prices``)."""
        return window_prices(self.closes[name], window.start, window.end).rename(name)


def describe(window: Window, first: pd.Timestamp, last: pd.Timestamp) -> str:
    """The window in words, as the comparison's window bar says it (``first``, ``last``: its closes)."""
    if window.common:
        return window.describe(first, last)
    return f"full history {formats.date_range(first, last)}"


# ---------------------------------------------------------------------------- monthly returns grid
@dataclass(frozen=True)
class GridView:
    names: list[str]
    window: Window
    grids: dict[str, MonthlyGrid]
    spans: dict[str, tuple[pd.Timestamp, pd.Timestamp]]  # ticker → its first and last close in the window
    problems: dict[str, str] = field(default_factory=dict)  # ticker → why it has no grid


def grid_job(inputs: WindowInputs | None, _cancelled=None) -> GridView | None:
    if inputs is None:
        return None
    window = inputs.window()
    grids, spans, problems = {}, {}, {}
    for name in inputs.names:
        prices = inputs.prices(name, window)
        try:
            grids[name] = monthly_grid(inputs.closes[name].rename(name), window.start, window.end)
        except ValueError as exc:
            problems[name] = str(exc)
            continue
        spans[name] = (prices.index[0], prices.index[-1])
    return GridView(inputs.names, window, grids, spans, problems)


def grid_rows(grid: MonthlyGrid) -> pd.DataFrame:
    """The table's rows: the year (``*`` when partial), the twelve months and the year's total."""
    frame = grid.table.copy()
    frame.insert(0, "year_label", grid.year_labels())
    return frame.reset_index(drop=True)


def grid_caption(grid: MonthlyGrid, view: GridView) -> str:
    """Which months, from which close, in which window."""
    first_month = (grid.start.to_period("M") + 1).strftime("%b %Y")
    return (
        f"{grid.ticker}: month-end to month-end returns, {first_month} – {grid.end:%b %Y} (the first from the "
        f"{formats.day(grid.start)} close) · the months ending inside the "
        f"{describe(view.window, *view.spans[grid.ticker])}"
    )


# ---------------------------------------------------------------------------- worst drawdowns
@dataclass(frozen=True)
class DrawdownView:
    names: list[str]
    window: Window
    worst: dict[str, pd.DataFrame]  # ticker → core.comparison_tables.worst_drawdowns (rank index)
    series: dict[str, pd.Series]  # ticker → drawdown from the running peak, in the window
    problems: dict[str, str] = field(default_factory=dict)


def drawdown_job(inputs: WindowInputs | None, _cancelled=None) -> DrawdownView | None:
    if inputs is None:
        return None
    window = inputs.window()
    worst, series, problems = {}, {}, {}
    for name in inputs.names:
        prices = inputs.prices(name, window)
        if len(prices) < 2:
            problems[name] = f"{name}: fewer than two closes in the window"
            continue
        worst[name] = worst_drawdowns(prices, WORST)
        series[name] = drawdown_series(prices).rename(name)
    return DrawdownView(inputs.names, window, worst, series, problems)


def drawdown_rows(table: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """The table's rows (rank as a column) and the tooltips of episodes not recovered yet."""
    frame = table.reset_index()
    frame["recovery"] = [None if pd.isna(v) else v for v in frame["recovery"]]
    frame["days_to_recover"] = [None if pd.isna(v) else int(v) for v in frame["days_to_recover"]]
    tips = {}
    for i, row in frame.iterrows():
        if not row["recovered"]:
            tips[(i, "recovery")] = (
                f"not back at the {formats.day(row['peak'])} peak by the window's last close "
                f"({row['days_underwater']:,} days under water so far)"
            )
    return frame, tips


def drawdown_caption(name: str, view: DrawdownView) -> str:
    s = view.series[name]
    table = view.worst[name]
    count = len(table)
    what = f"the {count} deepest" if count != 1 else "the only"
    return f"{name}: {what} falls from a running peak · daily closes, {describe(view.window, s.index[0], s.index[-1])}"


# ---------------------------------------------------------------------------- rolling correlation and beta
@dataclass(frozen=True)
class RelativeView:
    funds: list[str]
    benchmark: str
    window: Window
    span: str  # "3M" | "6M" | "1Y" | "3Y"
    rolling: dict[str, pd.DataFrame]  # fund → columns correlation, beta (empty when the window is too short)
    first: pd.Timestamp
    last: pd.Timestamp


def relative_job(inputs: tuple[WindowInputs, str] | None, _cancelled=None) -> RelativeView | None:
    """``inputs``: the window inputs and the trailing window; None without funds."""
    if inputs is None:
        return None
    window_inputs, span = inputs
    bench = window_inputs.benchmark
    if not bench:
        raise DataUnavailable("Choose a benchmark in the toolbar to see the rolling correlation and beta to it.")
    window = window_inputs.window()
    bench_prices = window_inputs.prices(bench, window)
    funds = [f for f in window_inputs.funds if f != bench]
    if not funds:
        raise DataUnavailable(f"The only fund is the benchmark {bench}: add others to compare with it.")
    rolling = {f: rolling_relative(window_inputs.prices(f, window), bench_prices, span) for f in funds}
    return RelativeView(funds, bench, window, span, rolling, bench_prices.index[0], bench_prices.index[-1])


def relative_series(view: RelativeView, figure: str) -> dict[str, pd.Series]:
    """``figure`` ("correlation" or "beta") of each fund that has values."""
    return {f: r[figure].rename(f) for f, r in view.rolling.items() if len(r)}


def relative_texts(view: RelativeView, figure: str) -> tuple[str, str]:
    """The chart's title and subtitle."""
    words = WINDOW_WORDS[view.span]
    what = dict(RELATIVE_FIGURES)[figure].lower()
    formula = "Pearson" if figure == "correlation" else f"cov(r, r_{view.benchmark}) / var(r_{view.benchmark})"
    return (
        f"Rolling {words} {what} to {view.benchmark}",
        f"each point: the daily returns over the {words} window up to that day ({formula}) · "
        f"{describe(view.window, view.first, view.last)}",
    )
