"""Issue 14, rates and risk: the Overview's strip (yields, spread, VIX, the bond-fund proxies offline) and
the thesis's rate-sensitive claim, on hand-worked series and the snapshot's real IEF/SHY/IWM/SPY."""

from __future__ import annotations

import pandas as pd
import pytest

from rotation_desk.core.rates_strip import rates_strip, small_caps_vs_rates
from rotation_desk.core.thesis import NOT_CHECKABLE, NOT_SUPPORTED, SUPPORTED, figure_text
from rotation_desk.core.thesis_rates import easing_claim

LAST = pd.Timestamp("2026-08-03")


def _hand_rates() -> pd.DataFrame:
    days = pd.bdate_range("2026-05-01", "2026-08-03")
    n = len(days)
    return pd.DataFrame(
        {
            "^TNX": [4.00 + 0.01 * i for i in range(n)],  # +1 bp a business day
            "^IRX": [5.00 - 0.005 * i for i in range(n)],  # −0.5 bp a business day
            "^VIX": [15.0 + (i % 5) for i in range(n)],
        },
        index=days,
    )


def test_strip_on_hand_worked_yields():
    frame = _hand_rates()
    strip = rates_strip(frame)
    assert strip.yields_cached and strip.note == ""
    pos = {d: i for i, d in enumerate(frame.index)}
    last = pos[LAST]
    month = pos[pd.Timestamp("2026-07-03")]  # 1M before 2026-08-03 is 2026-07-03, a business day (Friday)
    ten = strip.reading("10y")
    assert (ten.value, ten.date, ten.unit) == (pytest.approx(4.00 + 0.01 * last), LAST, "percent")
    assert ten.change_1m == pytest.approx((last - month) * 1.0)  # 1 bp a day
    three = strip.reading("3m")
    assert three.change_1m == pytest.approx(-(last - month) * 0.5)
    spread = strip.reading("spread")
    assert spread.value == pytest.approx(((4.00 + 0.01 * last) - (5.00 - 0.005 * last)) * 100)
    assert spread.change_1m == pytest.approx((last - month) * 1.5)
    vix = strip.reading("vix")
    assert vix.value == 15.0 + last % 5 and vix.change_1m == pytest.approx((last % 5) - (month % 5))


def test_offline_the_snapshot_gives_the_bond_fund_proxies(closes):
    strip = rates_strip(closes[["IEF", "SHY", "IWM", "SPY"]])
    assert not strip.yields_cached
    ten, three = strip.reading("10y"), strip.reading("3m")
    assert ten.proxy and ten.ticker == "IEF" and ten.unit == "fraction" and "not a yield" in ten.note
    # IEF's 1M return by hand: the close of 2026-08-03 over the close of 2026-07-02 (07-03 is a holiday)
    ief = closes["IEF"].dropna()
    assert ten.value == pytest.approx(ief["2026-08-03"] / ief["2026-07-02"] - 1, rel=1e-12)
    shy = closes["SHY"].dropna()
    assert three.ticker == "SHY" and three.value == pytest.approx(shy["2026-08-03"] / shy["2026-07-02"] - 1)
    assert strip.reading("spread").value is None and strip.reading("vix").value is None
    assert strip.note == (
        "^TNX and ^IRX not cached (refresh them when online): bond-fund proxies shown (IEF for ^TNX, "
        "SHY for ^IRX), their 1M price return, not a yield."
    )
    chart = small_caps_vs_rates(closes, pd.Timestamp("2025-08-01"), LAST)
    assert chart.proxy and chart.rate_ticker == "IEF"
    iwm, spy = closes["IWM"], closes["SPY"]
    expected = (iwm[LAST] / spy[LAST]) / (iwm["2025-08-01"] / spy["2025-08-01"]) * 100
    assert chart.ratio.iloc[-1] == pytest.approx(expected) and chart.ratio.index[0] == pd.Timestamp("2025-08-01")
    assert chart.rate.iloc[-1] == pytest.approx(ief[LAST] / ief["2025-08-01"] * 100)


def _monthly_case():
    """Twelve month-ends; ^IRX falls 30 bp over three months in three of them (easing)."""
    ends = pd.to_datetime(
        [
            "2024-01-31",
            "2024-02-29",
            "2024-03-28",
            "2024-04-30",
            "2024-05-31",
            "2024-06-28",
            "2024-07-31",
            "2024-08-30",
            "2024-09-30",
            "2024-10-31",
            "2024-11-29",
            "2024-12-31",
        ]
    )  # fmt: skip  (NYSE month-ends: 2024-03-29 was Good Friday)
    irx = [5.30, 5.30, 5.30, 5.30, 5.20, 5.10, 5.00, 5.00, 5.00, 5.00, 5.00, 5.00]
    # ^IRX against three month-ends earlier: Apr 0, May −10, Jun −20, Jul −30, Aug −20, Sep −10, then 0 bp:
    # July alone is an easing month (≤ −25 bp). IWM − SPY: +2 % in July, −0.5 % in every other month.
    spy = [100.0]
    iwm = [100.0]
    excess = {6: 0.02}  # July (index 6): the one easing month
    for i in range(1, 12):
        spy.append(spy[-1] * 1.01)
        iwm.append(iwm[-1] * (1.01 + excess.get(i, -0.005)))
    return pd.DataFrame({"IWM": iwm, "SPY": spy, "^IRX": irx}, index=ends)


def test_the_easing_claim_by_hand():
    frame = _monthly_case()
    claim = easing_claim(frame, frame.index[-1], pd.Timestamp("2024-07-15"))
    on, off = claim.check.figures
    # months with a 3-month-earlier base: April .. December (9); easing: July only (5.00 − 5.30 = −30 bp)
    assert on.label == "IWM − SPY a month, easing (1 months)" and off.label == "other months (8)"
    assert on.value == pytest.approx(0.02) and off.value == pytest.approx(-0.005)
    assert claim.check.verdict == SUPPORTED
    assert figure_text(on) == "IWM − SPY a month, easing (1 months) +2.0 pts"
    today = claim.today  # since 2024-06-28 (the last close before the article): ^IRX 5.10 -> 5.00, −10 bp
    assert today.verdict == NOT_CHECKABLE and "−10 bp" not in today.note and "-10 bp" in today.note
    assert figure_text(today.figures[0]) == "^IRX change (bp) -10 bp"


def test_the_easing_claim_not_supported_and_without_the_yield():
    frame = _monthly_case()
    frame["IWM"] = frame["SPY"]  # no excess at all
    claim = easing_claim(frame, frame.index[-1], pd.Timestamp("2024-03-15"))
    assert claim.check.verdict == NOT_SUPPORTED
    assert claim.today.verdict == NOT_SUPPORTED and "fell 30 bp" in claim.today.note  # 5.30 -> 5.00
    gone = easing_claim(frame.drop(columns="^IRX"), frame.index[-1], pd.Timestamp("2024-03-15"))
    assert gone.check.verdict == NOT_CHECKABLE and "^IRX" in gone.check.note and gone.check.figures == ()
