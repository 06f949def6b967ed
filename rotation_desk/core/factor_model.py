"""Factor exposure: OLS of a fund's excess return on the Fama/French factors (CAPM, FF3, FF5).

    r_fund − RF = α + β_mkt·(Mkt−RF) [+ β_smb·SMB + β_hml·HML [+ β_rmw·RMW + β_cma·CMA]] + ε

- Monthly (default): the fund's month-end to month-end returns (core/monthly.py)
  of the months whose last session is inside [start, end], matched with the
  factor file's month; the first month needs the previous month-end close.
- Daily: the fund's close-to-close returns after the last close on or before
  ``start`` up to ``end`` (the metrics' window), matched with the factor rows
  of the same session.
- RF is the factor file's one-month T-bill return of the same period. The
  factors are published in percent and used as fractions.
- α is reported per period and annualised (× 12 monthly, × 252 daily; its
  standard error the same, its t-stat unchanged). Betas come with classical
  OLS standard errors and t-stats (core/ols.py), R², adjusted R² and the
  number of observations.
- A window reaching past the factors' last date is cut there and the result
  says so (``notes``); so is a window cut at the fund's first close.
- Rolling: the same regression over the last N observations at each period.

The plain-words reading (``reading``) names a tilt for SMB (small-cap +,
large-cap −), HML (value + / growth −), RMW (profitability + / weak
profitability −) and CMA (conservative + / aggressive investment −) when
|t| ≥ 2 and |β| ≥ 0.10: "slight" below 0.25, "moderate" below 0.50, "strong"
from 0.50. The market beta reads "low" below 0.80, "high" above 1.20, else
"close to 1". Below an R² of 0.70 it adds that the model explains little.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from rotation_desk.core.monthly import month_end_closes
from rotation_desk.core.ols import ols, rolling_ols
from rotation_desk.core.returns import TRADING_DAYS, to_timestamp
from rotation_desk.errors import BadInput, DataUnavailable

FACTORS = ("mkt_rf", "smb", "hml", "rmw", "cma")
MODELS: dict[str, tuple[str, ...]] = {"capm": FACTORS[:1], "ff3": FACTORS[:3], "ff5": FACTORS}
MODEL_NAMES = {"capm": "CAPM", "ff3": "Fama/French 3-factor", "ff5": "Fama/French 5-factor"}
FREQUENCIES = ("monthly", "daily")
PER_YEAR = {"monthly": 12, "daily": TRADING_DAYS}
FACTOR_LABELS = {"mkt_rf": "Market", "smb": "Size (SMB)", "hml": "Value (HML)", "rmw": "Profitability (RMW)"}
FACTOR_LABELS["cma"] = "Investment (CMA)"

T_SIGNIFICANT = 2.0
TILT_WORDS = ((0.50, "strong"), (0.25, "moderate"), (0.10, "slight"))
TILT_NAMES = {
    "smb": ("small-cap", "large-cap"),
    "hml": ("value", "growth"),
    "rmw": ("profitability", "weak-profitability"),
    "cma": ("conservative-investment", "aggressive-investment"),
}
LOW_BETA, HIGH_BETA, LOW_R2 = 0.80, 1.20, 0.70


@dataclass(frozen=True)
class FactorSeries:
    """One frequency of the factor file, as fractions."""

    frequency: str
    table: pd.DataFrame  # columns mkt_rf smb hml rmw cma rf; index: PeriodIndex (monthly) or sessions (daily)
    last_date: pd.Timestamp  # the last day the factors cover (monthly: the last weekday of the last month)
    source: str  # where the file was read from, in words
    database: str | None = None  # "202408" (the CRSP database the library built it from)

    @property
    def first_date(self) -> pd.Timestamp:
        first = self.table.index[0]
        return first.to_timestamp(how="start") if isinstance(first, pd.Period) else first

    def describe(self) -> str:
        built = f", built from the {self.database} CRSP database" if self.database else ""
        return f"Fama/French 5 factors ({self.frequency}) to {self.last_date:%Y-%m-%d}{built}; {self.source}"


@dataclass(frozen=True)
class FactorExposure:
    ticker: str
    model: str
    frequency: str
    start: pd.Timestamp  # the base close of the first return
    end: pd.Timestamp  # the close of the last return
    observations: int
    alpha: float  # annualised
    alpha_period: float  # per month / per session
    alpha_std_error: float  # annualised
    alpha_t_stat: float
    betas: dict[str, float]  # the model's factors (mkt_rf, smb, …)
    std_errors: dict[str, float]
    t_stats: dict[str, float]
    r_squared: float
    adj_r_squared: float
    reading: str
    notes: tuple[str, ...]  # window cuts, in words
    factors: str  # FactorSeries.describe()
    data: pd.DataFrame  # per period: fund, rf, excess and the factors (fractions), for charts and export

    @property
    def factor_names(self) -> tuple[str, ...]:
        return MODELS[self.model]

    def as_dict(self) -> dict:
        """The command line's JSON object: all five factor keys, None for those outside the model."""
        return {
            "ticker": self.ticker,
            "model": self.model,
            "frequency": self.frequency,
            "start": self.start,
            "end": self.end,
            "observations": self.observations,
            "alpha": self.alpha,
            "alpha_std_error": self.alpha_std_error,
            "alpha_t_stat": self.alpha_t_stat,
            "r_squared": self.r_squared,
            "adj_r_squared": self.adj_r_squared,
            "betas": {f: self.betas.get(f) for f in FACTORS},
            "std_errors": {f: self.std_errors.get(f) for f in FACTORS},
            "t_stats": {f: self.t_stats.get(f) for f in FACTORS},
            "reading": self.reading,
            "notes": list(self.notes),
            "factors": self.factors,
        }


def check_model(model: str, frequency: str) -> None:
    if model not in MODELS:
        raise BadInput(f"--model {model!r}: choose one of {', '.join(MODELS)}")
    if frequency not in FREQUENCIES:
        raise BadInput(f"--frequency {frequency!r}: choose one of {', '.join(FREQUENCIES)}")


def regression_frame(prices: pd.Series, factors: FactorSeries, start=None, end=None) -> tuple[pd.DataFrame, list]:
    """Per period: fund return, rf, excess return and the five factors, inside the window; and the notes."""
    clean = prices.dropna()
    name = str(prices.name)
    notes: list[str] = []
    start = None if start is None else to_timestamp(start)
    end = None if end is None else to_timestamp(end)
    if start is not None and end is not None and end <= start:
        raise BadInput(f"--end {end:%Y-%m-%d} is not after --start {start:%Y-%m-%d}")
    if clean.empty:
        raise DataUnavailable(f"{name}: no prices")
    if end is None or end > factors.last_date:
        if end is not None or clean.index[-1] > factors.last_date:
            notes.append(f"window cut at the factors' last date {factors.last_date:%Y-%m-%d}")
        end = factors.last_date if end is None else min(end, factors.last_date)
    if start is not None and end <= start:
        raise DataUnavailable(
            f"{name}: the window starts {start:%Y-%m-%d}, after the factors' last date {factors.last_date:%Y-%m-%d} "
            "(try: rotation-desk factors update)"
        )
    if start is not None and clean.index[0] > end:
        raise DataUnavailable(f"{name}: the fund's first close {clean.index[0]:%Y-%m-%d} is after the window")
    if factors.frequency == "monthly":
        me = month_end_closes(clean, start, end)
        fund = me.returns
        keys = fund.index.to_period("M")
        if me.dropped_first:
            notes.append(
                f"{name} starts {clean.index[0]:%Y-%m-%d}: the window begins with its first month that has a "
                "previous month-end close"
            )
    else:
        window = clean.loc[:end]
        if start is not None:
            base = window.index.searchsorted(start, side="right") - 1
            if base < 0:
                notes.append(f"{name} starts {clean.index[0]:%Y-%m-%d}, after the window's start")
            window = window.iloc[max(base, 0) :]
        fund = window.pct_change().iloc[1:]
        keys = fund.index
    table = factors.table.reindex(keys)
    ok = table.notna().all(axis=1).to_numpy() & np.isfinite(fund.to_numpy())
    frame = pd.DataFrame(
        {"fund": fund.to_numpy()[ok], "rf": table["rf"].to_numpy()[ok]},
        index=pd.DatetimeIndex(fund.index[ok], name="date"),
    )
    frame["excess"] = frame["fund"] - frame["rf"]
    for f in FACTORS:
        frame[f] = table[f].to_numpy()[ok]
    if frame.empty:
        raise DataUnavailable(f"{name}: no {factors.frequency} returns in the window that the factors cover")
    return frame, notes


def _strength(beta: float) -> str | None:
    for floor, word in TILT_WORDS:
        if abs(beta) >= floor:
            return word
    return None


def plain_reading(betas: dict, t_stats: dict, r_squared: float) -> str:
    """E.g. "Strong small-cap tilt, strong value tilt; market beta 1.09 (close to 1)" (thresholds: module doc)."""
    tilts = []
    for f, (plus, minus) in TILT_NAMES.items():
        if f not in betas:
            continue
        word = _strength(betas[f])
        if word is None or not abs(t_stats[f]) >= T_SIGNIFICANT:
            continue
        tilts.append(f"{word} {plus if betas[f] > 0 else minus} tilt")
    beta = betas["mkt_rf"]
    level = "low" if beta < LOW_BETA else "high" if beta > HIGH_BETA else "close to 1"
    parts = [", ".join(tilts)] if tilts else []
    if not tilts and len(betas) > 1:
        words = "size, value, profitability or investment" if len(betas) > 3 else "size or value"
        parts.append(f"no clear {words} tilt")
    parts.append(f"market beta {beta:.2f} ({level})")
    text = "; ".join(parts)
    if np.isfinite(r_squared) and r_squared < LOW_R2:
        text += f"; the model explains only {r_squared * 100:.0f} % of the return variation"
    return text[0].upper() + text[1:]


def factor_exposure(
    prices: pd.Series,
    factors: FactorSeries,
    model: str = "ff5",
    start=None,
    end=None,
) -> FactorExposure:
    """The regression over the window (see the module doc). ``prices`` is named by its ticker."""
    check_model(model, factors.frequency)
    names = MODELS[model]
    frame, notes = regression_frame(prices, factors, start, end)
    need = len(names) + 2
    if len(frame) < need:
        raise DataUnavailable(
            f"{prices.name}: {len(frame)} {factors.frequency} returns in the window; the {model} model needs "
            f"at least {need}"
        )
    fit = ols(frame["excess"].to_numpy(), frame[list(names)].to_numpy())
    per_year = PER_YEAR[factors.frequency]
    betas = {f: float(b) for f, b in zip(names, fit.coefficients[1:])}
    ses = {f: float(s) for f, s in zip(names, fit.std_errors[1:])}
    ts = {f: float(t) for f, t in zip(names, fit.t_stats[1:])}
    first_return = frame.index[0]
    if factors.frequency == "monthly":
        me = month_end_closes(prices, start, end if end is None else min(to_timestamp(end), factors.last_date))
        base = me.closes.index[me.closes.index.get_loc(first_return) - 1]
    else:
        clean = prices.dropna()
        base = clean.index[clean.index.get_loc(first_return) - 1]
    return FactorExposure(
        ticker=str(prices.name),
        model=model,
        frequency=factors.frequency,
        start=base,
        end=frame.index[-1],
        observations=fit.observations,
        alpha=float(fit.coefficients[0] * per_year),
        alpha_period=float(fit.coefficients[0]),
        alpha_std_error=float(fit.std_errors[0] * per_year),
        alpha_t_stat=float(fit.t_stats[0]),
        betas=betas,
        std_errors=ses,
        t_stats=ts,
        r_squared=fit.r_squared,
        adj_r_squared=fit.adj_r_squared,
        reading=plain_reading(betas, ts, fit.r_squared),
        notes=tuple(notes),
        factors=factors.describe(),
        data=frame,
    )


def rolling_exposure(exposure: FactorExposure, window: int) -> pd.DataFrame:
    """Betas (and annualised alpha, R²) over the last ``window`` observations, at each period's end."""
    names = list(exposure.factor_names)
    if not isinstance(window, (int, np.integer)) or window < len(names) + 2:
        raise BadInput(f"--rolling {window}: the {exposure.model} model needs a window of at least {len(names) + 2}")
    if window > exposure.observations:
        unit = "months" if exposure.frequency == "monthly" else "sessions"
        raise BadInput(
            f"--rolling {window} is longer than the window's {exposure.observations} {unit} "
            f"({exposure.start:%Y-%m-%d} – {exposure.end:%Y-%m-%d})"
        )
    frame = exposure.data
    fit = rolling_ols(frame["excess"].to_numpy(), frame[names].to_numpy(), int(window))
    coef = fit["coefficients"]
    out = pd.DataFrame(coef[:, 1:], columns=names, index=frame.index[fit["end"]])
    out.insert(0, "alpha", coef[:, 0] * PER_YEAR[exposure.frequency])
    out["r_squared"] = fit["r_squared"]
    out.attrs.update(window=int(window), frequency=exposure.frequency, model=exposure.model)
    return out
