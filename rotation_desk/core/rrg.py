"""Relative Rotation Graph (RRG) of tickers against a benchmark, and the sector heat map.

The RRG is Julius de Kempenaer's chart; his exact JdK RS-Ratio and
RS-Momentum formulas are not published. This module uses a published-style
approximation built only from rolling windows, so that every point uses the
data up to its own date and nothing after it (no full-sample normalisation):

    RS_t          = 100 · P_t / B_t                          (P ticker, B benchmark close)
    S_t           = mean(RS over the last n_s periods)        (smoothed RS, n_s = ``smooth``)
    RS-Ratio_t    = 100 + (S_t − mean(S, L)) / stdev(S, L)    (z-score over the last L = ``lookback`` periods)
    ROC_t         = 100 · (RS-Ratio_t / RS-Ratio_{t−k} − 1)   (k = ``momentum`` periods)
    RS-Momentum_t = 100 + (ROC_t − mean(ROC, L)) / stdev(ROC, L)

mean(X, L) and stdev(X, L) are over the L most recent values up to and
including t (stdev with ddof = 1). A window must be complete: a point exists
only once every window behind it is full, so a ticker needs
n_s + k + 2·(L − 1) periods of history before its first point (weekly
defaults: 116 weeks, about 2¼ years). Rows where either coordinate is missing
are left out of the series.

Frequency: ``weekly`` takes the close of the last session of each week
(normally Friday) from the daily closes; an unfinished last week is
represented by its latest session. ``daily`` uses every session. Sessions are
the benchmark's; a ticker missing a session takes its previous close (at most
5 sessions back, never a later one).

Default windows: weekly n_s = 10, L = 52, k = 4; daily n_s = 50, L = 252, k = 20.

Quadrants (RS-Ratio, RS-Momentum): Leading (≥ 100, ≥ 100), Weakening
(≥ 100, < 100), Lagging (< 100, < 100), Improving (< 100, ≥ 100).
Heading: the compass direction of the last move on the chart, north = RS-Momentum
rising, east = RS-Ratio rising (bearing in degrees clockwise from north).

The sector heat map gives, for each ticker and period, the ticker's window
return minus the benchmark's over the same window (core/returns.py
conventions: calendar offsets from the as-of session, YTD from the previous
year's last close; total returns, not annualised).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.returns import close_on_or_before, period_returns, to_timestamp

SECTORS: tuple[str, ...] = ("XLK", "XLF", "XLI", "XLY", "XLP", "XLU", "XLE", "XLV", "XLB", "XLRE", "XLC")
DEFAULT_BENCHMARK = "SPY"
FREQUENCIES = ("weekly", "daily")
HEATMAP_PERIODS: tuple[str, ...] = ("1W", "1M", "3M", "6M", "YTD", "1Y", "3Y")
QUADRANTS = ("Leading", "Weakening", "Lagging", "Improving")
COMPASS = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")
FILL_LIMIT = 5  # sessions a missing ticker close may be carried forward
DEFAULT_TAIL = 8

FORMULA_HELP = """\
Relative Rotation Graph (an approximation of JdK RS-Ratio / RS-Momentum; the
originals are proprietary). Every point uses only data up to its own date.

  RS           = 100 × ticker close ÷ benchmark close
  smoothed RS  = average of RS over the last {smooth} {unit}
  RS-Ratio     = 100 + z-score of the smoothed RS against its own last {lookback} {unit}
                 (value minus the rolling mean, divided by the rolling standard deviation)
  RS-Momentum  = 100 + z-score of the {momentum}-{unit_one} rate of change of RS-Ratio
                 against its own last {lookback} {unit}

Weekly points use the last session of each week (an unfinished week shows its
latest session). A ticker needs {needed} {unit} of history for its first point.

Right of 100 the ticker is stronger than the benchmark (relative trend up);
above 100 its relative strength is gaining. Quadrants:
  Leading    RS-Ratio ≥ 100, RS-Momentum ≥ 100
  Weakening  RS-Ratio ≥ 100, RS-Momentum < 100
  Lagging    RS-Ratio < 100, RS-Momentum < 100
  Improving  RS-Ratio < 100, RS-Momentum ≥ 100
Tickers usually rotate clockwise: Improving → Leading → Weakening → Lagging.
Heading is the compass direction of the last move (north = momentum rising,
east = ratio rising).

Heat map: the ticker's return minus the benchmark's over the same window
(calendar periods back from the as-of session; YTD from the previous year's
last close; not annualised).
"""


@dataclass(frozen=True)
class RrgParams:
    """Window lengths, in periods of the chosen frequency."""

    smooth: int = 10  # periods in the moving average of RS
    lookback: int = 52  # periods in the z-score windows of RS-Ratio and RS-Momentum
    momentum: int = 4  # periods in the rate of change of RS-Ratio

    def __post_init__(self):
        for name in ("smooth", "lookback", "momentum"):
            value = getattr(self, name)
            if not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"RRG {name} must be a whole number of periods ≥ 1, not {value!r}")
        if self.lookback < 2:
            raise ValueError("RRG lookback must be at least 2 periods (a standard deviation needs two values)")

    @property
    def periods_needed(self) -> int:
        """Periods of history before a ticker's first complete point."""
        return self.smooth + self.momentum + 2 * (self.lookback - 1)


WEEKLY_PARAMS = RrgParams(10, 52, 4)
DAILY_PARAMS = RrgParams(50, 252, 20)


def default_params(frequency: str = "weekly") -> RrgParams:
    _check_frequency(frequency)
    return WEEKLY_PARAMS if frequency == "weekly" else DAILY_PARAMS


def formula_help(frequency: str = "weekly", params: RrgParams | None = None) -> str:
    """FORMULA_HELP filled in with the windows in use."""
    params = params or default_params(frequency)
    unit, one = ("weeks", "week") if frequency == "weekly" else ("sessions", "session")
    return FORMULA_HELP.format(
        smooth=params.smooth,
        lookback=params.lookback,
        momentum=params.momentum,
        unit=unit,
        unit_one=one,
        needed=params.periods_needed,
    )


def _check_frequency(frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}, not {frequency!r}")


def week_ends(index: pd.DatetimeIndex) -> np.ndarray:
    """Boolean mask of the sessions that are the last of their (Saturday–Friday) week in ``index``."""
    if len(index) == 0:
        return np.zeros(0, dtype=bool)
    weeks = index.to_period("W-FRI").asi8
    return np.r_[weeks[1:] != weeks[:-1], True]


def resample(frame: pd.DataFrame, frequency: str = "weekly") -> pd.DataFrame:
    """Daily closes → the closes the RRG uses (weekly: last session of each week)."""
    _check_frequency(frequency)
    if frequency == "daily":
        return frame
    return frame.loc[week_ends(frame.index)]


def aligned_closes(closes: pd.DataFrame, tickers, benchmark: str) -> pd.DataFrame:
    """The tickers' closes on the benchmark's sessions, each carried forward at most FILL_LIMIT sessions."""
    tickers = list(dict.fromkeys(tickers))
    if not tickers:
        raise ValueError("no tickers for the RRG")
    if benchmark in tickers:
        raise ValueError(f"{benchmark} is the benchmark; leave it out of the tickers")
    missing = [t for t in [*tickers, benchmark] if t not in closes.columns]
    if missing:
        raise KeyError(f"no closes for {', '.join(missing)}")
    bench = closes[benchmark]
    frame = closes.loc[bench.notna(), tickers].ffill(limit=FILL_LIMIT)
    frame[benchmark] = bench.dropna()
    return frame


def _zscore(values: pd.DataFrame, window: int) -> pd.DataFrame:
    mean = values.rolling(window, min_periods=window).mean()
    sd = values.rolling(window, min_periods=window).std(ddof=1)
    sd = sd.where(sd > 1e-12 * mean.abs().clip(lower=1.0))  # a flat window has no z-score
    return (values - mean) / sd


def rrg_wide(
    closes: pd.DataFrame,
    tickers=SECTORS,
    benchmark: str = DEFAULT_BENCHMARK,
    frequency: str = "weekly",
    params: RrgParams | None = None,
) -> dict[str, pd.DataFrame]:
    """RS, RS-Ratio and RS-Momentum as wide frames (dates × tickers), NaN where a window is incomplete."""
    params = params or default_params(frequency)
    px = resample(aligned_closes(closes, tickers, benchmark), frequency)
    names = [c for c in px.columns if c != benchmark]
    rs = px[names].div(px[benchmark], axis=0) * 100.0
    smooth = rs.rolling(params.smooth, min_periods=params.smooth).mean()
    ratio = 100.0 + _zscore(smooth, params.lookback)
    roc = (ratio / ratio.shift(params.momentum) - 1.0) * 100.0
    momentum = 100.0 + _zscore(roc, params.lookback)
    return {"rs": rs, "rs_ratio": ratio, "rs_momentum": momentum}


def rrg_series(
    closes: pd.DataFrame,
    tickers=SECTORS,
    benchmark: str = DEFAULT_BENCHMARK,
    frequency: str = "weekly",
    params: RrgParams | None = None,
) -> pd.DataFrame:
    """The RRG points as a long frame: columns date, ticker, rs, rs_ratio, rs_momentum.

    Rows are grouped by ticker (in the order given), dates ascending within a
    ticker; only points with both coordinates are kept. ``params`` defaults to
    the frequency's windows (WEEKLY_PARAMS / DAILY_PARAMS). ``attrs`` records
    the benchmark, frequency and params.
    """
    params = params or default_params(frequency)
    wide = rrg_wide(closes, tickers, benchmark, frequency, params)
    rs, ratio, momentum = wide["rs"], wide["rs_ratio"], wide["rs_momentum"]
    n_dates, n_tickers = rs.shape
    out = pd.DataFrame(
        {
            "date": np.tile(rs.index.to_numpy(), n_tickers),
            "ticker": np.repeat(np.asarray(rs.columns, dtype=object), n_dates),
            "rs": rs.to_numpy().T.ravel(),
            "rs_ratio": ratio.to_numpy().T.ravel(),
            "rs_momentum": momentum.to_numpy().T.ravel(),
        }
    )
    out = out[out["rs_ratio"].notna() & out["rs_momentum"].notna()].reset_index(drop=True)
    out["date"] = pd.to_datetime(out["date"])
    out["ticker"] = out["ticker"].astype(str)
    out.attrs.update(benchmark=benchmark, frequency=frequency, params=asdict(params))
    return out


def quadrant(rs_ratio: float, rs_momentum: float) -> str | None:
    """Leading / Weakening / Lagging / Improving; the 100 lines belong to the stronger side. None if NaN."""
    if rs_ratio is None or rs_momentum is None or not (math.isfinite(rs_ratio) and math.isfinite(rs_momentum)):
        return None
    if rs_ratio >= 100.0:
        return "Leading" if rs_momentum >= 100.0 else "Weakening"
    return "Improving" if rs_momentum >= 100.0 else "Lagging"


def bearing(d_ratio: float, d_momentum: float) -> float | None:
    """Compass bearing in degrees [0, 360) of a move: 0 = north (momentum up), 90 = east (ratio up)."""
    if d_ratio == 0 and d_momentum == 0:
        return None
    return (90.0 - math.degrees(math.atan2(d_momentum, d_ratio))) % 360.0


def compass(degrees: float | None) -> str | None:
    """Eight-point compass name of a bearing (each 45° sector centred on its direction)."""
    if degrees is None:
        return None
    return COMPASS[int(((degrees + 22.5) % 360.0) // 45.0)]


@dataclass(frozen=True)
class TailPoint:
    date: pd.Timestamp
    rs_ratio: float
    rs_momentum: float


@dataclass(frozen=True)
class RrgRow:
    """Where one ticker stands on the RRG at the as-of point."""

    ticker: str
    date: pd.Timestamp  # the point's own session (≤ as_of)
    rs_ratio: float
    rs_momentum: float
    quadrant: str
    periods_in_quadrant: int  # consecutive points, this one included, in the same quadrant
    heading: str | None  # compass name of the last move; None with one point or no move
    heading_degrees: float | None  # bearing of the last move, clockwise from north
    distance: float | None  # length of the last move in chart units
    tail: tuple[TailPoint, ...]  # oldest first, ending with this point

    def as_dict(self) -> dict:
        d = asdict(self)
        d["tail"] = [asdict(p) for p in self.tail]
        return d


def rrg_snapshot(series: pd.DataFrame, as_of=None, tail: int = DEFAULT_TAIL) -> list[RrgRow]:
    """Per ticker (in the series' order): its last point on or before ``as_of`` (default: its last point).

    Tickers with no point by then are left out. On a weekly series computed
    from the full history, a mid-week ``as_of`` gives the previous week's
    point; ``rrg_at`` computes from closes cut at ``as_of`` instead, so the
    unfinished week shows its latest session.
    """
    if tail < 1:
        raise ValueError("the tail needs at least one point")
    rows: list[RrgRow] = []
    cut = series if as_of is None else series[series["date"] <= to_timestamp(as_of)]
    for name, group in cut.groupby("ticker", sort=False):
        dates = group["date"].to_numpy()
        x = group["rs_ratio"].to_numpy(dtype=float)
        y = group["rs_momentum"].to_numpy(dtype=float)
        quads = [quadrant(a, b) for a, b in zip(x, y)]
        now = quads[-1]
        run = 0
        for q in reversed(quads):
            if q != now:
                break
            run += 1
        deg = dist = None
        if len(x) >= 2:
            dx, dy = float(x[-1] - x[-2]), float(y[-1] - y[-2])
            deg = bearing(dx, dy)
            dist = math.hypot(dx, dy)
        first = max(0, len(x) - tail)
        points = tuple(TailPoint(pd.Timestamp(dates[i]), float(x[i]), float(y[i])) for i in range(first, len(x)))
        rows.append(
            RrgRow(
                ticker=str(name),
                date=pd.Timestamp(dates[-1]),
                rs_ratio=float(x[-1]),
                rs_momentum=float(y[-1]),
                quadrant=now,
                periods_in_quadrant=run,
                heading=compass(deg),
                heading_degrees=deg,
                distance=dist,
                tail=points,
            )
        )
    return rows


def rrg_at(
    closes: pd.DataFrame,
    tickers=SECTORS,
    benchmark: str = DEFAULT_BENCHMARK,
    as_of=None,
    frequency: str = "weekly",
    params: RrgParams | None = None,
    tail: int = DEFAULT_TAIL,
) -> tuple[pd.DataFrame, list[RrgRow]]:
    """The series from the closes up to ``as_of`` (default: all) and its snapshot at its last point.

    What ``rotation-desk rrg --as-of D`` shows: only data up to D is used, and
    an unfinished week is represented by its latest session up to D.
    """
    cut = closes if as_of is None else closes.loc[: to_timestamp(as_of)]
    series = rrg_series(cut, tickers, benchmark, frequency, params)
    return series, rrg_snapshot(series, None, tail)


def last_session(prices: pd.Series, as_of=None) -> pd.Timestamp | None:
    """The last session of ``prices`` on or before ``as_of`` (default: its last)."""
    clean = prices.dropna()
    if clean.empty:
        return None
    if as_of is None:
        return clean.index[-1]
    found = close_on_or_before(clean, as_of)
    return None if found is None else found[0]


def sector_heatmap(
    closes: pd.DataFrame,
    tickers=SECTORS,
    benchmark: str = DEFAULT_BENCHMARK,
    as_of=None,
    periods=HEATMAP_PERIODS,
    relative: bool = True,
) -> pd.DataFrame:
    """Tickers × periods: ticker return − benchmark return (``relative=False``: the ticker's own return).

    Windows end at the benchmark's last session on or before ``as_of`` and
    start a calendar period earlier (core/returns.py); a ticker that does not
    cover a period gets NaN. ``attrs['as_of']`` is the session used.
    """
    periods = list(periods)
    last = last_session(closes[benchmark], as_of)
    if last is None:
        raise ValueError(f"{benchmark} has no close on or before {to_timestamp(as_of):%Y-%m-%d}")
    bench = period_returns(closes[benchmark].loc[:last], last, periods)
    data = {}
    for name in dict.fromkeys(tickers):
        own = period_returns(closes[name].loc[:last], last, periods)
        row = []
        for label in periods:
            r, b = own[label], bench[label]
            if r is None or (relative and b is None):
                row.append(np.nan)
            else:
                row.append(r.total - b.total if relative else r.total)
        data[name] = row
    frame = pd.DataFrame.from_dict(data, orient="index", columns=periods, dtype=float)
    frame.index.name = "ticker"
    frame.attrs["as_of"] = last
    frame.attrs["benchmark"] = benchmark
    return frame
