"""The ETF Comparison's Factors page, computed and worded without Qt (tested without a window).

``factor_job`` runs, for every ticker of the comparison, ``core.factor_model.factor_exposure`` over
the comparison's window (``analysis.WindowInputs.window``: its start and end are what
``rotation-desk factors TICKER … --start … --end …`` is given; in "Full history of each" mode no dates)
and ``rolling_exposure`` over the chosen rolling span, as ``--rolling N``. The factor files are read
here, on the worker (``data.factors.load_factors``: the user's downloaded files when newer than the
bundled ones), so the first daily read never blocks the window.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from rotation_desk.core import factor_model as fm
from rotation_desk.core.comparison import Window
from rotation_desk.data.factors import load_factors
from rotation_desk.data.paths import AppPaths
from rotation_desk.errors import RotationDeskError
from rotation_desk.ui.kit import formats
from rotation_desk.ui.tabs.compare.analysis import WindowInputs

MODEL_CHOICES = (("capm", "CAPM (market)"), ("ff3", "Fama/French 3-factor"), ("ff5", "Fama/French 5-factor"))
FREQUENCY_CHOICES = (("monthly", "Monthly returns"), ("daily", "Daily returns"))
ROLLING_SPANS = {"1Y": 1, "2Y": 2, "3Y": 3, "5Y": 5}  # years of observations behind each rolling point
TERM_COLUMNS = ["term", "estimate", "std_error", "t_stat"]
ALPHA_TERM = "Alpha (% a year)"


def rolling_length(span: str, frequency: str) -> int:
    """The rolling window in observations: 12 months or 252 sessions a year (``--rolling N``)."""
    return ROLLING_SPANS[span] * fm.PER_YEAR[frequency]


def unit(frequency: str) -> str:
    return "months" if frequency == "monthly" else "sessions"


@dataclass(frozen=True)
class FactorInputs:
    window: WindowInputs
    model: str  # capm | ff3 | ff5
    frequency: str  # monthly | daily
    span: str  # ROLLING_SPANS key
    paths: AppPaths | None  # where a downloaded factor file may be (None: the bundled files only)


@dataclass(frozen=True)
class FactorView:
    model: str
    frequency: str
    names: list[str]
    window: Window
    factors: fm.FactorSeries
    exposures: dict[str, fm.FactorExposure]
    problems: dict[str, str]  # ticker → why it has no regression
    span: str
    length: int  # the rolling window in observations
    rolling: dict[str, pd.DataFrame]  # ticker → rolling_exposure
    rolling_problems: dict[str, str]
    notices: tuple[str, ...] = field(default_factory=tuple)  # about the factor files


def factor_job(inputs: FactorInputs | None, _cancelled=None) -> FactorView | None:
    if inputs is None:
        return None
    fm.check_model(inputs.model, inputs.frequency)
    window = inputs.window.window()
    notices: list[str] = []
    factors = load_factors(inputs.frequency, inputs.paths, notices)
    length = rolling_length(inputs.span, inputs.frequency)
    exposures, problems, rolling, rolling_problems = {}, {}, {}, {}
    for name in inputs.window.names:
        prices = inputs.window.closes[name].rename(name)
        try:
            exposure = fm.factor_exposure(prices, factors, inputs.model, window.start, window.end)
        except RotationDeskError as exc:
            problems[name] = str(exc)
            continue
        exposures[name] = exposure
        if length > exposure.observations:
            rolling_problems[name] = (
                f"{name} has {exposure.observations} {inputs.frequency} returns in the window, fewer than the "
                f"{length} of a {inputs.span} rolling window: choose a shorter one or a longer window."
            )
        else:
            rolling[name] = fm.rolling_exposure(exposure, length)
    if not exposures:
        raise RotationDeskError(next(iter(problems.values())))
    return FactorView(
        inputs.model,
        inputs.frequency,
        inputs.window.names,
        window,
        factors,
        exposures,
        problems,
        inputs.span,
        length,
        rolling,
        rolling_problems,
        tuple(notices),
    )


def term_rows(e: fm.FactorExposure) -> pd.DataFrame:
    """One fund's table: alpha (annualised, in percent a year) and each beta, with standard error and t-stat."""
    rows = [
        {
            "term": ALPHA_TERM,
            "estimate": e.alpha * 100.0,
            "std_error": e.alpha_std_error * 100.0,
            "t_stat": e.alpha_t_stat,
        }
    ]
    for f in e.factor_names:
        rows.append(
            {"term": fm.FACTOR_LABELS[f], "estimate": e.betas[f], "std_error": e.std_errors[f], "t_stat": e.t_stats[f]}
        )
    return pd.DataFrame(rows, columns=TERM_COLUMNS)


def fund_detail(e: fm.FactorExposure) -> str:
    """The line under a fund's name: window, observations, R²."""
    return (
        f"{formats.date_range(e.start, e.end)} · {e.observations} {e.frequency} returns · "
        f"R² {formats.pct(e.r_squared, 1, False)} (adjusted {formats.pct(e.adj_r_squared, 1, False)})"
    )


def fund_notes(e: fm.FactorExposure) -> str:
    return "; ".join(n[0].upper() + n[1:] for n in e.notes)


def page_caption(view: FactorView) -> str:
    """Above the tables: the model, the factor data and its as-of date, and the notices about the files."""
    text = (
        f"{fm.MODEL_NAMES[view.model]} regression of {view.frequency} excess returns (fund − RF) · "
        f"factors: {view.factors.describe()}"
    )
    cut = [e for e in view.exposures.values() if any("factors' last date" in n for n in e.notes)]
    if cut:
        text += f" · the window is cut at the factors' last date, {formats.day(view.factors.last_date)}"
    for notice in view.notices:
        text += f" · {notice}"
    return text


def rolling_series(view: FactorView, name: str) -> dict[str, pd.Series]:
    """The chart's lines: each beta of ``name``'s rolling regression, by the factor's label."""
    frame = view.rolling[name]
    return {fm.FACTOR_LABELS[f]: frame[f] for f in fm.MODELS[view.model]}


def rolling_texts(view: FactorView, name: str) -> tuple[str, str]:
    e = view.exposures[name]
    n = view.length
    u = unit(view.frequency)
    return (
        f"{name}: rolling {view.span} betas ({fm.MODEL_NAMES[view.model]})",
        f"each point: the regression over the {n} {u} up to it · {formats.date_range(e.start, e.end)} "
        "· 1 on Market: moves with the market; above 0 on SMB / HML: small-cap / value exposure",
    )
