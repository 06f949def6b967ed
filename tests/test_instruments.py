"""Issue 14, core: what a ticker is (price or rate, calendar, periods a year, currency), the unfinished-bar
rule, currency conversion and yield summaries — each against a hand-worked case."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from rotation_desk.core import calendars
from rotation_desk.core.currency import Conversion, convert, fx_candidates, plan_conversion, require_one_currency
from rotation_desk.core.instruments import Instrument, RateRefused, guess_type, require_prices
from rotation_desk.core.live_bar import last_bar
from rotation_desk.core.rates import rate_summary
from rotation_desk.errors import BadInput, DataUnavailable


# -- instruments ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "ticker, stored, kind, calendar, periods, currency",
    [
        ("SPY", "ETF", "price", "XNYS", 252, "USD"),
        ("^RUT", "INDEX", "price", "XNYS", 252, "USD"),
        ("^TNX", "INDEX", "rate", "XNYS", 252, "USD"),
        ("^IRX", None, "rate", "XNYS", 252, "USD"),
        ("EURUSD=X", "CURRENCY", "price", "24/5", 260, "USD"),
        ("BTC-USD", None, "price", "24/7", 365, "USD"),
        ("VWRL.L", None, "price", "XLON", 252, None),  # a foreign listing never refreshed: currency unknown
        ("7203.T", None, "price", "XTKS", 252, None),
        ("VSIAX", None, "price", "XNYS", 252, "USD"),
        ("BRK-B", None, "price", "XNYS", 252, "USD"),
        ("ABC.ZZ", None, "price", None, 252, None),  # an exchange suffix no calendar is known for
    ],
)
def test_what_a_ticker_is(ticker, stored, kind, calendar, periods, currency):
    inst = Instrument(ticker, stored)
    assert (inst.kind, inst.calendar, inst.periods_per_year, inst.currency_code) == (kind, calendar, periods, currency)


def test_types_guessed_from_the_symbol_when_not_stored():
    assert [guess_type(t) for t in ("^GSPC", "GBPUSD=X", "ES=F", "BTC-USD", "VSIAX", "BRK-B", "SPY")] == [
        "INDEX",
        "CURRENCY",
        "FUTURE",
        "CRYPTOCURRENCY",
        "MUTUALFUND",
        None,
        None,
    ]
    assert not Instrument("VSIAX").type_known and Instrument("VSIAX", "MUTUALFUND").type_known


def test_pence_are_pounds_at_a_hundredth():
    inst = Instrument("VWRL.L", "ETF", "GBp", "LSE", "Europe/London")
    assert (inst.currency_code, inst.unit_factor, inst.label) == ("GBP", 0.01, "ETF (GBP)")


def test_a_yield_is_refused_where_only_a_price_makes_sense():
    with pytest.raises(RateRefused, match=r"\^TNX is a yield \(10-year Treasury yield.*tilt weights"):
        require_prices([Instrument("SPY"), Instrument("^TNX")], "tilt weights")
    require_prices([Instrument("SPY"), Instrument("^VIX")], "tilt weights")  # the VIX is an index level
    assert RateRefused.exit_code == 2


# -- calendars ----------------------------------------------------------------------------------
def test_calendars_by_listing():
    # hand-built: the week of 2025-12-22 (Christmas Thursday, Boxing Day a London holiday)
    assert list(calendars.sessions("XNYS", "2025-12-22", "2025-12-28").strftime("%m-%d")) == [
        "12-22",
        "12-23",
        "12-24",
        "12-26",
    ]
    assert list(calendars.sessions("XLON", "2025-12-22", "2025-12-28").strftime("%m-%d")) == ["12-22", "12-23", "12-24"]
    assert len(calendars.sessions("24/7", "2025-12-22", "2025-12-28")) == 7
    assert list(calendars.sessions("24/5", "2025-12-22", "2025-12-28").strftime("%m-%d")) == [
        "12-22",
        "12-23",
        "12-24",
        "12-26",
    ]  # FX: 25 December left out
    assert calendars.last_session_before("XNYS", "2025-12-26") == pd.Timestamp("2025-12-24")
    assert calendars.known("XLON") and not calendars.known("NOPE") and not calendars.known(None)


# -- the unfinished last bar --------------------------------------------------------------------
NY = "America/New_York"


def _utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_todays_bar_is_unfinished_until_the_exchange_closes():
    start, end = _utc(2026, 8, 3, 13, 30), _utc(2026, 8, 3, 20, 0)  # 09:30-16:00 New York (EDT)
    during = last_bar(date(2026, 8, 3), _utc(2026, 8, 3, 18, 0), NY, start, end)
    assert during.unfinished and during.describe() == (
        "2026-08-03 not stored: the session is not over yet (the session ends 16:00 America/New_York)"
    )
    assert not last_bar(date(2026, 8, 3), _utc(2026, 8, 3, 20, 1), NY, start, end).unfinished
    assert not last_bar(date(2026, 7, 31), _utc(2026, 8, 3, 18, 0), NY, start, end).unfinished  # yesterday's


def test_the_exchanges_own_time_zone_decides():
    """London closes 16:30 BST = 15:30 UTC, while New York is still open."""
    start, end = _utc(2026, 8, 3, 7, 0), _utc(2026, 8, 3, 15, 30)
    assert last_bar(date(2026, 8, 3), _utc(2026, 8, 3, 15, 0), "Europe/London", start, end).unfinished
    assert not last_bar(date(2026, 8, 3), _utc(2026, 8, 3, 15, 45), "Europe/London", start, end).unfinished


def test_without_a_trading_period_a_bar_dated_the_exchanges_today_is_unfinished():
    # 2026-08-04 01:00 UTC is still 2026-08-03 in New York
    assert last_bar(date(2026, 8, 3), _utc(2026, 8, 4, 1, 0), NY, None, None).unfinished
    assert not last_bar(date(2026, 8, 3), _utc(2026, 8, 4, 5, 0), NY, None, None).unfinished


# -- currencies -----------------------------------------------------------------------------------
def test_pairs_tried_in_order():
    assert fx_candidates("GBP", "USD") == [("GBPUSD=X", False), ("USDGBP=X", True), ("GBP=X", True)]
    assert fx_candidates("USD", "EUR") == [("USDEUR=X", False), ("EURUSD=X", True), ("EUR=X", False)]


def test_mixing_currencies_is_refused_with_their_names():
    spy, vwrl = Instrument("SPY", "ETF", "USD"), Instrument("VWRL.L", "ETF", "GBp")
    with pytest.raises(BadInput, match=r"SPY in USD and VWRL.L in GBP: metrics would mix currencies; add --in USD"):
        require_one_currency([spy, vwrl], "metrics")
    assert require_one_currency([spy, Instrument("^TNX")], "metrics") == "USD"  # a yield has no currency
    with pytest.raises(BadInput, match="currency unknown"):
        require_one_currency([spy, Instrument("VWRL.L")], "metrics")


def test_conversion_hand_worked():
    """Pence to dollars through GBPUSD=X; a Saturday close takes Friday's rate; before the pair: left out."""
    vwrl = Instrument("VWRL.L", "ETF", "GBp")
    plan = plan_conversion(vwrl, "USD", {"GBPUSD=X"})
    assert (plan.pair, plan.inverted, plan.factor) == ("GBPUSD=X", False, 0.01)
    prices = pd.Series(
        [10000.0, 10100.0, 10200.0, 10300.0],
        index=pd.to_datetime(["2026-01-01", "2026-01-02", "2026-01-05", "2026-01-10"]),
    )
    fx = pd.Series([1.25, 1.30, 1.20], index=pd.to_datetime(["2026-01-02", "2026-01-05", "2026-01-09"]))
    out, done = convert(prices, plan, fx)
    assert list(out.index.strftime("%m-%d")) == ["01-02", "01-05", "01-10"]
    np.testing.assert_allclose(out.to_numpy(), [101.0 * 1.25, 102.0 * 1.30, 103.0 * 1.20])
    assert done.first == pd.Timestamp("2026-01-02")
    assert done.describe() == "VWRL.L: GBP to USD through GBPUSD=X (GBp to GBP first), from 2026-01-02"
    inverse = Conversion("X", "GBP", "GBP", "USD", "USDGBP=X", True, 1.0)
    np.testing.assert_allclose(
        convert(prices, inverse, 1 / fx)[0].to_numpy(), [10100 * 1.25, 10200 * 1.30, 10300 * 1.2]
    )


def test_a_missing_pair_names_what_to_refresh():
    with pytest.raises(
        DataUnavailable, match=r"VWRL.L is in GBP and the FX pair GBPUSD=X is not cached.*refresh GBPUSD=X"
    ):
        plan_conversion(Instrument("VWRL.L", "ETF", "GBp"), "USD", {"EURUSD=X"})


# -- yields -----------------------------------------------------------------------------------------
def test_rate_summary_hand_worked():
    days = pd.to_datetime(["2025-08-01", "2025-12-31", "2026-06-30", "2026-07-31", "2026-08-03"])
    levels = pd.Series([4.40, 4.55, 4.10, 3.95, 4.05], index=days)
    s = rate_summary("^TNX", levels, "2025-12-31", "2026-08-03")
    assert (s.start, s.end) == (pd.Timestamp("2025-12-31"), pd.Timestamp("2026-08-03"))
    assert s.change_bp == pytest.approx(-50.0)
    assert (s.high, s.high_date, s.low, s.low_date) == (4.55, days[1], 3.95, days[3])
    assert s.changes_bp["YTD"] == pytest.approx(-50.0)  # from 2025-12-31
    assert s.changes_bp["1M"] == pytest.approx(-5.0)  # from the last level on or before 2026-07-03: 4.10
    assert s.changes_bp["1Y"] == pytest.approx(-35.0) and s.changes_bp["3Y"] is None
    d = s.as_dict()
    assert d["level_end"] == pytest.approx(0.0405) and d["change"] == pytest.approx(-0.005) and d["kind"] == "rate"
