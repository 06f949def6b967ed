"""The thesis scorecard: the article's quantitative claims checked against the data.

The article this app was built around is dated 2025-07-23. Each claim names
its proxy tickers and window, the figures, and a verdict: "supported",
"not supported" or "not checkable with price data". Each is also recomputed
at the last close (the last cached session; the JSON key is still
``as_of_today``) to show whether the thesis has played out since. Returns follow the window convention of ``core.returns`` (last
close on or before each date; adjusted closes, so dividends are included —
index-level claims are price returns, which is why ETF figures run a little
higher).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import pandas as pd

from rotation_desk.core.returns import window_return
from rotation_desk.core.thesis_rates import easing_claim

ARTICLE_DATE = pd.Timestamp("2025-07-23")
SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
NOT_CHECKABLE = "not checkable with price data"


class FundInfo(Protocol):
    name: str
    expense_ratio_pct: float | None
    expense_ratio_as_of: str
    confidence: str


@dataclass(frozen=True)
class Figure:
    label: str
    value: float | str | None
    unit: str = "fraction"  # fraction | points (difference of fractions) | percent | bp | text
    ticker: str | None = None
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None


@dataclass(frozen=True)
class Check:
    window: str  # in words, e.g. "2024-12-31 – 2025-07-22 (YTD to the last session before the article)"
    figures: tuple[Figure, ...]
    verdict: str
    note: str
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    proxies: tuple[str, ...]
    check: Check
    today: Check
    tickers_needed: tuple[str, ...] = field(default=())


def _ret(closes: pd.DataFrame, ticker: str, start, end, label: str | None = None) -> Figure:
    w = window_return(closes[ticker], start, end)
    if w is None:
        return Figure(label or ticker, None, "fraction", ticker)
    return Figure(label or ticker, w.total, "fraction", ticker, w.start, w.end)


def _span(a: Figure) -> tuple[pd.Timestamp | None, pd.Timestamp | None, str]:
    start, end = a.start, a.end
    text = "—" if start is None else f"{start:%Y-%m-%d} – {end:%Y-%m-%d}"
    return start, end, text


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x * 100:+.1f} %"


def _last_session_before(closes: pd.DataFrame, ticker: str, when: pd.Timestamp) -> pd.Timestamp:
    series = closes[ticker].dropna()
    return series.index[series.index.searchsorted(when, side="left") - 1]


def _since_article(closes: pd.DataFrame, a: str, b: str, today: pd.Timestamp, a_words: str, b_words: str) -> Check:
    start = _last_session_before(closes, a, ARTICLE_DATE)
    fa, fb = _ret(closes, a, start, today), _ret(closes, b, start, today)
    s, e, text = _span(fa)
    gap = None if fa.value is None or fb.value is None else fa.value - fb.value
    ok = gap is not None and gap > 0
    note = (
        f"Since the article {a} returned {_pct(fa.value)} and {b} {_pct(fb.value)}: "
        f"{a_words if ok else b_words} led by {abs(gap) * 100:.1f} points."
        if gap is not None
        else "Not enough data since the article."
    )
    figures = (fa, fb, Figure(f"{a} − {b}", gap, "points"))
    return Check(f"{text} (since the article)", figures, SUPPORTED if ok else NOT_SUPPORTED, note, s, e)


def nasdaq_vs_value(closes: pd.DataFrame, today: pd.Timestamp) -> Claim:
    end = _last_session_before(closes, "QQQ", ARTICLE_DATE)
    start = pd.Timestamp(year=end.year - 1, month=12, day=31)

    def check(start, end, when: str) -> Check:
        q, v = _ret(closes, "QQQ", start, end, "QQQ YTD"), _ret(closes, "IWD", start, end, "IWD YTD")
        gap = None if q.value is None or v.value is None else v.value - q.value
        s, e, text = _span(q)
        ok = gap is not None and gap > 0.07
        leader = "IWD (value)" if gap is not None and gap > 0 else "QQQ (Nasdaq-100)"
        note = (
            f"QQQ {_pct(q.value)} vs IWD {_pct(v.value)}: {leader} ahead by {abs(gap) * 100:.1f} points "
            f"({'more' if ok else 'not more'} than the 7 points claimed)."
        )
        return Check(
            f"{text} ({when})",
            (q, v, Figure("IWD − QQQ", gap, "points")),
            SUPPORTED if ok else NOT_SUPPORTED,
            note,
            s,
            e,
        )

    return Claim(
        "nasdaq_vs_value_ytd",
        "The Nasdaq has underperformed the Russell 1000 Value Index by over 7 percentage points year-to-date.",
        ("QQQ", "IWD"),
        check(start, end, "YTD to the last session before the article"),
        check(pd.Timestamp(year=today.year - 1, month=12, day=31), today, "YTD to the last close"),
    )


def acwx_first_half(closes: pd.DataFrame, today: pd.Timestamp) -> Claim:
    f = _ret(closes, "ACWX", "2024-12-31", "2025-06-30", "ACWX 2025 H1")
    s, e, text = _span(f)
    ok = f.value is not None and f.value >= 0.165
    note = f"ACWX returned {_pct(f.value)} (with dividends; the index's price return is a little lower)."
    return Claim(
        "acwx_2025_h1",
        "The ACWI ex USA Index has surged 17% through June 2025.",
        ("ACWX",),
        Check(f"{text} (2025 H1)", (f,), SUPPORTED if ok else NOT_SUPPORTED, note, s, e),
        _since_article(closes, "ACWX", "SPY", today, "international stocks", "US stocks"),
    )


def small_caps_2009(closes: pd.DataFrame, today: pd.Timestamp) -> Claim:
    low = pd.Timestamp("2009-03-09")
    figures, matches = [], []
    for months in (12, 24):
        end = low + pd.DateOffset(months=months)
        i = _ret(closes, "IWM", low, end, f"IWM {months} months")
        s = _ret(closes, "SPY", low, end, f"SPY {months} months")
        figures += [i, s]
        if i.value is not None and s.value is not None:
            matches.append(abs(i.value - 1.40) <= 0.10 and abs(s.value - 0.70) <= 0.10)
    ok = any(matches)
    i12, s12, i24, s24 = figures
    note = (
        f"12 months after the low IWM {_pct(i12.value)} vs SPY {_pct(s12.value)}; 24 months: IWM "
        f"{_pct(i24.value)} vs SPY {_pct(s24.value)}. Small caps led in both, but no one window gives "
        "both 140 % and 70 %."
        if not ok
        else "A window matches both figures within 10 points."
    )
    start, _, _ = _span(i12)
    end = i24.end
    return Claim(
        "small_caps_2009_recovery",
        "The Russell 2000's return during the 2009 recovery was 140%, compared to the S&P 500's 70%.",
        ("IWM", "SPY"),
        Check(
            f"{start:%Y-%m-%d} low + 12 and 24 months (the article names no window)",
            tuple(figures),
            SUPPORTED if ok else NOT_SUPPORTED,
            note,
            start,
            end,
        ),
        _since_article(closes, "IWM", "SPY", today, "small caps", "large caps"),
    )


def defensives_2022(closes: pd.DataFrame, today: pd.Timestamp) -> Claim:
    figs = tuple(_ret(closes, t, "2021-12-31", "2022-12-31", f"{t} 2022") for t in ("XLU", "XLP", "SPY"))
    u, p, s = (f.value for f in figs)
    ok = None not in (u, p, s) and u > s and p > s
    start, end, text = _span(figs[0])
    note = f"In 2022 XLU {_pct(u)}, XLP {_pct(p)}, SPY {_pct(s)}: both defensives beat the market by far."
    check = Check(
        f"{text} (2022, high inflation and falling growth)", figs, SUPPORTED if ok else NOT_SUPPORTED, note, start, end
    )
    today_check = Check(
        check.window,
        figs,
        check.verdict,
        "The claim is about stagflation years; 2022 is the latest such year in the data, so the check is unchanged.",
        start,
        end,
    )
    return Claim(
        "defensives_in_stagflation",
        "Defensive sectors like utilities and consumer staples outperform in stagflation.",
        ("XLU", "XLP", "SPY"),
        check,
        today_check,
    )


def vbr_expense_ratio(facts: Mapping[str, FundInfo]) -> Claim:
    fund = facts.get("VBR")
    value = None if fund is None else fund.expense_ratio_pct
    ok = value is not None and abs(value - 0.08) < 0.005
    as_of = "" if fund is None else fund.expense_ratio_as_of
    note = (
        f"The facts table gives {value:.2f} % as of {as_of} ({fund.confidence}); the article's 0.08 % is out of date."
        if value is not None and not ok
        else f"The facts table gives {value:.2f} % as of {as_of}."
        if value is not None
        else "VBR is not in the facts table."
    )
    check = Check(
        f"expense ratio as of {as_of}",
        (Figure("VBR expense ratio", value, "percent", "VBR"),),
        SUPPORTED if ok else NOT_SUPPORTED,
        note,
    )
    return Claim("vbr_expense_ratio", "VBR … at a 0.08% expense ratio.", ("VBR",), check, check)


def eemv_is_value(facts: Mapping[str, FundInfo]) -> Claim:
    fund = facts.get("EEMV")
    name = "" if fund is None else fund.name
    ok = "value" in name.lower()
    note = (
        f"The fund's name is “{name}”: it holds minimum-volatility emerging-market stocks, not value stocks."
        if not ok
        else f"The fund's name is “{name}”."
    )
    check = Check(
        "fund name in the facts table",
        (Figure("EEMV name", name, "text", "EEMV"),),
        SUPPORTED if ok else NOT_SUPPORTED,
        note,
    )
    return Claim("eemv_value", "EEMV … emerging market value stocks.", ("EEMV",), check, check)


def small_cap_discount() -> Claim:
    check = Check(
        "—", (), NOT_CHECKABLE, "Fair value is a valuation model's output; prices alone cannot confirm or refute it."
    )
    return Claim("small_cap_discount", "Small caps trade at a 17% discount to fair value.", ("IWM",), check, check)


THESIS_TICKERS = ("QQQ", "IWD", "ACWX", "SPY", "IWM", "XLU", "XLP")
OPTIONAL_TICKERS = ("^IRX",)  # the rate-sensitive claim is checked when it is cached (core/thesis_rates.py)


def thesis_scorecard(closes: pd.DataFrame, facts: Mapping[str, FundInfo]) -> list[Claim]:
    """All claims, checked on ``closes`` (needs THESIS_TICKERS) and the facts table."""
    today = closes[list(THESIS_TICKERS)].dropna(how="all").index[-1]  # the optional rate does not move it
    return [
        nasdaq_vs_value(closes, today),
        acwx_first_half(closes, today),
        small_caps_2009(closes, today),
        defensives_2022(closes, today),
        easing_claim(closes, today, ARTICLE_DATE),
        vbr_expense_ratio(facts),
        eemv_is_value(facts),
        small_cap_discount(),
    ]


def figure_text(f: Figure) -> str:
    """One figure as the command line and the app print it: "QQQ YTD +10.1 %", "IWD − QQQ -2.5 pts"."""
    if f.value is None:
        return f"{f.label}: n/a"
    if f.unit == "fraction":
        return f"{f.label} {f.value * 100:+.1f} %"
    if f.unit == "points":
        return f"{f.label} {f.value * 100:+.1f} pts"
    if f.unit == "percent":
        return f"{f.label} {f.value:.2f} %"
    if f.unit == "bp":
        return f"{f.label} {f.value:+.0f} bp"
    return f"{f.label}: {f.value}"


def figure_dict(f: Figure) -> dict:
    return {"label": f.label, "ticker": f.ticker, "start": f.start, "end": f.end, "value": f.value, "unit": f.unit}


def check_dict(c: Check) -> dict:
    return {
        "window": {"start": c.start, "end": c.end, "text": c.window},
        "figures": [figure_dict(f) for f in c.figures],
        "verdict": c.verdict,
        "note": c.note,
    }


def claim_dict(c: Claim) -> dict:
    """The JSON shape: claim, proxies, window, figures, verdict (+ note, id, as_of_today)."""
    d = {"id": c.id, "claim": c.claim, "proxies": list(c.proxies)}
    d.update(check_dict(c.check))
    d["as_of_today"] = check_dict(c.today)
    return d
