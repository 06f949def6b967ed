"""How well a proxy stands in for a fund, measured where both have closes (the overlap).

- ``correlation``: Pearson correlation of the daily returns on the sessions
  both have (returns between consecutive common closes).
- ``tracking_difference``: the fund's annualised return minus the proxy's over
  the overlap, ``CAGR(fund) − CAGR(proxy)`` (CAGR as in core/returns.py: by
  calendar days) — positive when the fund did better than its proxy.
- ``tracking_error``: stdev of the daily return differences × √252.
- ``beta``: the fund's beta to the proxy on the same returns.

The shipped suggestions (resources/proxies.csv, built by tools/build_proxies.py)
carry these figures for the overlap in the snapshot; the app shows them when
a proxy is chosen and measures any other choice with ``proxy_fit``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.returns import TRADING_DAYS, annualise

MIN_OVERLAP = 60  # sessions; a shorter overlap says too little


@dataclass(frozen=True)
class ProxyFit:
    ticker: str
    proxy: str
    start: pd.Timestamp  # first common close
    end: pd.Timestamp
    sessions: int  # returns measured on
    correlation: float
    tracking_difference: float  # fraction a year
    tracking_error: float  # fraction a year
    beta: float

    def as_dict(self) -> dict:
        return {
            "ticker": self.ticker,
            "proxy": self.proxy,
            "overlap_start": self.start,
            "overlap_end": self.end,
            "overlap_sessions": self.sessions,
            "correlation": self.correlation,
            "tracking_difference": self.tracking_difference,
            "tracking_error": self.tracking_error,
            "beta": self.beta,
        }

    def describe(self) -> str:
        """ "correlation 0.97, tracking difference +1.2 % a year over 2021-06-14 – 2026-08-03"."""
        return (
            f"correlation {self.correlation:.2f}, tracking difference {self.tracking_difference * 100:+.1f} % a year "
            f"over {self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"
        )


def proxy_fit(fund: pd.Series, proxy: pd.Series, ticker: str | None = None, proxy_name: str | None = None) -> ProxyFit:
    """The overlap figures of the module doc; ValueError when the overlap is under ``MIN_OVERLAP`` sessions."""
    both = pd.concat([fund.rename("f"), proxy.rename("p")], axis=1, sort=True).dropna()
    name, pname = ticker or str(fund.name), proxy_name or str(proxy.name)
    if len(both) <= MIN_OVERLAP:
        raise ValueError(f"{name} and {pname} share {len(both)} closes; at least {MIN_OVERLAP + 1} are needed")
    f = both["f"].to_numpy(dtype=np.float64)
    p = both["p"].to_numpy(dtype=np.float64)
    rf, rp = f[1:] / f[:-1] - 1.0, p[1:] / p[:-1] - 1.0
    days = (both.index[-1] - both.index[0]).days
    td = annualise(f[-1] / f[0] - 1.0, days) - annualise(p[-1] / p[0] - 1.0, days)
    te = float(np.std(rf - rp, ddof=1) * math.sqrt(TRADING_DAYS))
    corr = float(np.corrcoef(rf, rp)[0, 1])
    beta = float(np.cov(rf, rp, ddof=1)[0, 1] / np.var(rp, ddof=1))
    return ProxyFit(name, pname, both.index[0], both.index[-1], len(rf), corr, float(td), te, beta)
