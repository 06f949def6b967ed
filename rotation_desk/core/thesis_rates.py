"""The thesis's rate-sensitive claim, "small caps outperform when the Fed eases", checked when the
3-month Treasury bill yield (``^IRX``) is cached.

The Fed's policy rate is not a Yahoo series; the 13-week bill yield follows it within weeks, so an
*easing month* is a month whose month-end ^IRX is at least ``EASING_BP`` (25 bp, one cut) below its
level three month-ends earlier. For each month (NYSE month-ends, core/monthly.py) the small-cap
excess is IWM's monthly return minus SPY's. The claim is supported when the average excess over the
easing months is above zero and above the average of the other months; the figures are both averages
(in percentage points a month) and the number of easing months.

As of today: since the article (the last session before 2025-07-23), did ^IRX fall by at least 25 bp
and did IWM beat SPY? With no easing since then the claim cannot be checked yet.

Without ^IRX (the bundled snapshot holds no yields) both checks say that the yield is needed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from rotation_desk.core.monthly import month_end_closes
from rotation_desk.core.returns import close_on_or_before, window_return

EASING_BP = 25.0
LOOKBACK_MONTHS = 3
RATE = "^IRX"
CLAIM = "Small caps outperform when the Fed eases."
CLAIM_ID = "small_caps_when_fed_eases"


def easing_claim(closes: pd.DataFrame, today: pd.Timestamp, article: pd.Timestamp):
    from rotation_desk.core.thesis import NOT_CHECKABLE, NOT_SUPPORTED, SUPPORTED, Check, Claim, Figure

    proxies = ("IWM", "SPY", RATE)
    if RATE not in closes.columns or closes[RATE].dropna().size < LOOKBACK_MONTHS + 2:
        missing = Check(
            "—",
            (),
            NOT_CHECKABLE,
            "Needs the 3-month Treasury bill yield (^IRX), which is not cached (the bundled snapshot holds no "
            "yields): refresh ^IRX when online to check this claim.",
        )
        return Claim(CLAIM_ID, CLAIM, proxies, missing, missing)
    rate = closes[RATE].dropna()
    common = closes[["IWM", "SPY"]].dropna()
    first = max(rate.index[0], common.index[0])
    iwm = month_end_closes(common["IWM"].loc[first:today])
    spy = month_end_closes(common["SPY"].loc[first:today])
    excess = (iwm.returns - spy.returns).dropna()
    ends = iwm.closes.index
    levels = pd.Series([close_on_or_before(rate, d)[1] for d in ends], index=ends)
    change_bp = (levels - levels.shift(LOOKBACK_MONTHS)) * 100.0
    easing = change_bp.reindex(excess.index) <= -EASING_BP
    excess = excess[change_bp.reindex(excess.index).notna()]
    easing = easing.reindex(excess.index)
    on, off = excess[easing], excess[~easing]
    mean_on = float(on.mean()) if len(on) else None
    mean_off = float(off.mean()) if len(off) else None
    start, end = (excess.index[0], excess.index[-1]) if len(excess) else (None, None)
    ok = mean_on is not None and mean_off is not None and mean_on > 0 and mean_on > mean_off
    figures = (
        Figure(f"IWM − SPY a month, easing ({len(on)} months)", mean_on, "points", None, start, end),
        Figure(f"other months ({len(off)})", mean_off, "points", None, start, end),
    )
    note = (
        f"In the {len(on)} months when ^IRX was at least {EASING_BP:.0f} bp below its level three months "
        f"earlier, IWM returned {_pts(mean_on)} a month more than SPY, against {_pts(mean_off)} in the other "
        f"{len(off)} months."
        if mean_on is not None
        else f"No month in the data had ^IRX {EASING_BP:.0f} bp below its level three months earlier."
    )
    window = "—" if start is None else f"{start:%Y-%m-%d} – {end:%Y-%m-%d} (month-ends with ^IRX)"
    then = Check(window, figures, SUPPORTED if ok else NOT_SUPPORTED, note, start, end)
    return Claim(CLAIM_ID, CLAIM, proxies, then, _since(closes, rate, today, article))


def _since(closes: pd.DataFrame, rate: pd.Series, today: pd.Timestamp, article: pd.Timestamp):
    from rotation_desk.core.thesis import NOT_CHECKABLE, NOT_SUPPORTED, SUPPORTED, Check, Figure

    series = closes["IWM"].dropna()
    start = series.index[series.index.searchsorted(article, side="left") - 1]
    a, b = close_on_or_before(rate, start), close_on_or_before(rate, today)
    wi, ws = window_return(closes["IWM"], start, today), window_return(closes["SPY"], start, today)
    if a is None or b is None or wi is None or ws is None:
        return Check("—", (), NOT_CHECKABLE, "Not enough data since the article.")
    moved = (b[1] - a[1]) * 100.0
    gap = wi.total - ws.total
    figures = (
        Figure("^IRX change (bp)", moved, "bp", RATE, a[0], b[0]),
        Figure("IWM − SPY", gap, "points", None, wi.start, wi.end),
    )
    window = f"{wi.start:%Y-%m-%d} – {wi.end:%Y-%m-%d} (since the article)"
    if moved > -EASING_BP:
        note = f"^IRX moved {moved:+.0f} bp since the article: no easing yet, so nothing to check."
        return Check(window, figures, NOT_CHECKABLE, note, wi.start, wi.end)
    verdict = SUPPORTED if gap > 0 else NOT_SUPPORTED
    note = (
        f"^IRX fell {-moved:.0f} bp since the article (easing) and IWM returned {wi.total * 100:+.1f} % "
        f"against SPY's {ws.total * 100:+.1f} %: small caps {'led' if gap > 0 else 'lagged'} by "
        f"{abs(gap) * 100:.1f} points."
    )
    return Check(window, figures, verdict, note, wi.start, wi.end)


def _pts(x: float | None) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{x * 100:+.2f} points"
