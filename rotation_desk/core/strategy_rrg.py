"""RRG rotation: hold, equal-weight, the tickers whose RRG point is in the chosen quadrants.

- Points: core/rrg.py's RS-Ratio / RS-Momentum (``rrg_wide``), computed from
  rolling windows only, so a point uses no data after its own date. Weekly
  points are the last session of each week; daily points every session.
- Signal at each period close d_p: the tickers whose point at d_p is in the
  chosen quadrants (default Leading and Improving); none → the benchmark. A
  ticker without a point yet (too little history) does not qualify.
- Timing (no look-ahead): the signal of period p is traded at the close of
  the next period, d_{p+1} (daily: the next session, as the pair rule), where
  the portfolio is rebalanced to equal weights of that signal — every
  period, so the drift back to equal weights is traded (and costs) too. The
  last session of the data counts as a period close only when its week is
  complete on the NYSE calendar (a store cut mid-week trades nothing on the
  unfinished week's last session).
- The value is 1 at the close of the last session on or before ``start``,
  where the signal in force then (the latest one traded on or before it) is
  bought; if none is in force yet the start moves to the first trade date.
- Prices between period closes: the benchmark's sessions, a ticker missing
  a close carrying its previous one (at most 5 sessions, as core/rrg.py).
- Costs, turnover, statistics and buy-and-hold of each ticker and the
  benchmark: core/strategy.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation_desk.core import rrg as rrg_core
from rotation_desk.core.calendar import next_session
from rotation_desk.core.returns import to_timestamp
from rotation_desk.core.strategy import StrategyResult, buy_and_hold, changes, check_cost, simulate, time_in
from rotation_desk.errors import BadInput, DataUnavailable

DEFAULT_QUADRANTS = ("Leading", "Improving")


def parse_quadrants(text: str | None) -> tuple[str, ...]:
    """'leading,improving' → ('Leading', 'Improving'); BadInput naming an unknown one."""
    if text is None:
        return DEFAULT_QUADRANTS
    names = {q.lower(): q for q in rrg_core.QUADRANTS}
    out = []
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        if part not in names:
            raise BadInput(f"--quadrants: unknown quadrant {part!r}; choose from {', '.join(names)}")
        if names[part] not in out:
            out.append(names[part])
    if not out:
        raise BadInput("--quadrants: name at least one quadrant, e.g. leading,improving")
    return tuple(out)


def _week_complete(day: pd.Timestamp) -> bool:
    """True when no NYSE session follows ``day`` in the same (Saturday–Friday) week."""
    following = next_session(day + pd.Timedelta(days=1))
    return following.to_period("W-FRI") != day.to_period("W-FRI")


def rrg_signals(
    closes: pd.DataFrame, tickers, benchmark: str, quadrants, frequency: str = "weekly"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The period closes with each ticker's quadrant and the qualifying set; and the aligned daily closes."""
    params = rrg_core.default_params(frequency)
    wide = rrg_core.rrg_wide(closes, tickers, benchmark, frequency, params)
    ratio, momentum = wide["rs_ratio"], wide["rs_momentum"]
    x, y = ratio.to_numpy(), momentum.to_numpy()
    known = np.isfinite(x) & np.isfinite(y)
    names = np.where(
        x >= 100.0, np.where(y >= 100.0, "Leading", "Weakening"), np.where(y >= 100.0, "Improving", "Lagging")
    )
    quads = pd.DataFrame(np.where(known, names, None), index=ratio.index, columns=ratio.columns)
    aligned = rrg_core.aligned_closes(closes, tickers, benchmark)
    if frequency == "weekly" and len(quads) and not _week_complete(quads.index[-1]):
        quads = quads.iloc[:-1]  # the unfinished week: its point is not a period close
        known = known[:-1]
    chosen = np.isin(quads.to_numpy(), list(quadrants)) & known
    columns = np.asarray(ratio.columns, dtype=object)
    order = np.argsort(columns)  # members listed alphabetically
    holding = []
    for row in chosen[:, order]:
        members = tuple(columns[order][row])
        holding.append(members if members else (benchmark,))
    quads["holding"] = holding
    quads["ready"] = known.any(axis=1)
    return quads, aligned


def rrg_strategy(
    closes: pd.DataFrame,
    tickers=rrg_core.SECTORS,
    benchmark: str = rrg_core.DEFAULT_BENCHMARK,
    quadrants=DEFAULT_QUADRANTS,
    frequency: str = "weekly",
    start=None,
    end=None,
    cost_bps: float = 0.0,
) -> StrategyResult:
    tickers = list(dict.fromkeys(tickers))
    if benchmark in tickers:
        raise BadInput(f"{benchmark} is the benchmark; leave it out of --tickers")
    if frequency not in rrg_core.FREQUENCIES:
        raise BadInput(f"--frequency {frequency!r}: choose one of {', '.join(rrg_core.FREQUENCIES)}")
    cost_bps = check_cost(cost_bps)
    start = None if start is None else to_timestamp(start)
    end = None if end is None else to_timestamp(end)
    if start is not None and end is not None and end <= start:
        raise BadInput(f"--end {end:%Y-%m-%d} is not after --start {start:%Y-%m-%d}")
    data = closes if end is None else closes.loc[:end]  # the signal never sees past the window's end
    quads, aligned = rrg_signals(data, tickers, benchmark, quadrants, frequency)
    quads = quads[quads["ready"]]
    if len(quads) < 2:
        need = rrg_core.default_params(frequency).periods_needed
        raise DataUnavailable(
            f"not enough history for an RRG signal and a trade: a ticker needs {need} "
            f"{'weeks' if frequency == 'weekly' else 'sessions'} of closes with {benchmark}"
        )
    # signal of period p → traded at the close of period p+1
    trade_dates = quads.index[1:]
    holdings = list(quads["holding"].iloc[:-1])
    sessions = aligned.index
    notes = []
    if start is None:
        s_date = trade_dates[0]
    else:
        pos = int(sessions.searchsorted(start, side="right")) - 1
        s_date = sessions[pos] if pos >= 0 else sessions[0]
        if s_date < trade_dates[0]:
            notes.append(f"start moved to {trade_dates[0]:%Y-%m-%d}, the first trade of an RRG signal")
            s_date = trade_dates[0]
    window = aligned.loc[s_date:]
    if len(window) < 2:
        raise DataUnavailable(f"no session after the start {s_date:%Y-%m-%d} in the window")
    first_trade = int(trade_dates.searchsorted(s_date, side="right")) - 1  # the signal in force at the start
    columns = list(dict.fromkeys([*tickers, benchmark]))
    prices = window[columns]
    rebalances = [(0, _equal(holdings[first_trade]))]
    for date, hold in zip(trade_dates[first_trade + 1 :], holdings[first_trade + 1 :]):
        rebalances.append((int(prices.index.get_loc(date)), _equal(hold)))
    gaps = prices.isna()
    running = np.vstack([np.zeros(len(columns), dtype=int), np.cumsum(gaps.to_numpy(), axis=0)])
    col = {t: i for i, t in enumerate(columns)}
    bounds = [p for p, _ in rebalances] + [len(prices) - 1]
    held_missing = {
        t for (p, w), q in zip(rebalances, bounds[1:]) for t in w if running[q + 1, col[t]] > running[p, col[t]]
    }
    if held_missing:  # a ticker held across a gap of more than 5 sessions in its closes
        raise DataUnavailable(f"{', '.join(sorted(held_missing))}: closes missing inside the window")
    sim = simulate(prices.fillna(1.0), rebalances, cost_bps)  # unheld gaps never move the value
    bench_legs = [t for t in columns if not gaps[t].any()]
    late = [t for t in tickers if t not in bench_legs]
    if late:
        notes.append(f"no buy-and-hold for {', '.join(late)}: no close at every session of the window")
    words = " or ".join(q.lower() for q in quadrants)
    rule = (
        f"hold, equal-weight, the tickers {words} on the {frequency} RRG vs {benchmark} (none: {benchmark}); "
        f"signal at a period close, traded at the next period close"
    )
    signal = quads.drop(columns=["ready"]).loc[: window.index[-1]]
    return StrategyResult(
        kind="rrg",
        description=rule,
        start=window.index[0],
        end=window.index[-1],
        cost_bps=cost_bps,
        simulation=sim,
        changes=changes(sim.trades),
        time_in=time_in(sim.weights),
        buy_and_hold=buy_and_hold(prices[bench_legs], bench_legs, cost_bps),
        signal=signal,
        notes=tuple(notes),
    )


def _equal(members: tuple[str, ...]) -> dict[str, float]:
    return {t: 1.0 / len(members) for t in members}
