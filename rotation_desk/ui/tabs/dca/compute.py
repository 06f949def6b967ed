"""One run of the DCA tab: schedule, backtest and projection of a valid plan (Qt-free).

Everything here calls the same core functions as ``rotation-desk dca``
(``schedule_frame`` at each ticker's latest close, ``run_backtest`` with the
SPY comparison and the same window rules, ``project_plan``), so the tab and
the command line show the same numbers. It runs in a worker thread: it
touches no widget and no database (the closes are read beforehand on the GUI
thread). Problems are returned as text per part, so a backtest that cannot
run still leaves the schedule on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from rotation_desk.core.dca.backtest import DEFAULT_BENCHMARK, default_window, run_backtest
from rotation_desk.core.dca.plan import DcaPlan, PlanError
from rotation_desk.core.dca.projection import ProjectionResult, project_plan
from rotation_desk.core.dca.results import BacktestResult
from rotation_desk.core.dca.schedule import ScheduleSummary, schedule_frame, schedule_issues, schedule_summary
from rotation_desk.errors import Cancelled, RotationDeskError

BENCHMARK = DEFAULT_BENCHMARK  # the same plan into SPY only, as ``rotation-desk dca``


@dataclass(frozen=True)
class RunInputs:
    plan: DcaPlan
    closes: pd.DataFrame  # the plan's tickers and the benchmark, full history (as the CLI reads them)
    start: pd.Timestamp | None = None  # backtest window; None = the CLI's default (``default_window``)
    end: pd.Timestamp | None = None
    n_paths: int = 10_000
    seed: int = 0
    benchmark: str | None = BENCHMARK
    parts: frozenset = frozenset({"schedule", "backtest", "projection"})
    backtest_closes: pd.DataFrame | None = None  # ``closes`` with the plan's proxies spliced (Extend history)
    splices: dict = field(default_factory=dict)  # fund -> core.proxy.Splice of ``backtest_closes``


@dataclass
class RunOutputs:
    inputs: RunInputs
    plan_error: PlanError | None = None  # problems only the calendar finds: nothing else ran
    latest: dict[str, float] = field(default_factory=dict)
    latest_date: pd.Timestamp | None = None
    schedule: pd.DataFrame | None = None
    summary: ScheduleSummary | None = None
    window: tuple[pd.Timestamp, pd.Timestamp | None] | None = None  # the default window
    backtest: BacktestResult | None = None
    backtest_error: str | None = None
    projection: ProjectionResult | None = None
    projection_error: str | None = None


def latest_prices(plan: DcaPlan, closes: pd.DataFrame) -> tuple[dict[str, float], pd.Timestamp | None]:
    """Each ticker's last close (what the schedule's estimated shares use) and the oldest of those dates."""
    out, dates = {}, []
    for t in plan.tickers:
        if t in closes.columns:
            col = closes[t].dropna()
            if len(col):
                out[t] = float(col.iloc[-1])
                dates.append(col.index[-1])
    return out, (min(dates) if dates else None)


def run(inputs: RunInputs, cancelled: Callable[[], bool] = lambda: False) -> RunOutputs:
    out = RunOutputs(inputs)
    plan = inputs.plan
    issues = schedule_issues(plan)
    if issues:
        out.plan_error = PlanError(issues)
        return out
    if cancelled():
        raise Cancelled
    out.latest, out.latest_date = latest_prices(plan, inputs.closes)
    if "schedule" in inputs.parts:
        out.schedule = schedule_frame(plan, out.latest)
        out.summary = schedule_summary(out.schedule)
    if cancelled():
        raise Cancelled
    if "backtest" in inputs.parts:
        try:
            closes = inputs.closes if inputs.backtest_closes is None else inputs.backtest_closes
            if inputs.start is None and inputs.end is None:
                out.window = default_window(plan, closes)
            backtest = run_backtest(plan, closes, inputs.start, inputs.end, benchmark=inputs.benchmark)
            out.backtest = backtest.computed()  # ledger, XIRR, TWR... here, not on the GUI thread
        except RotationDeskError as exc:
            out.backtest_error = str(exc)
    if cancelled():
        raise Cancelled
    if "projection" in inputs.parts:
        try:
            out.projection = project_plan(plan, inputs.closes, n_paths=inputs.n_paths, seed=inputs.seed)
        except RotationDeskError as exc:
            out.projection_error = str(exc)
    return out
