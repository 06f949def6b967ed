"""The array fast paths (issue 18) pinned to the straightforward computations they replace, on the snapshot.

Several series sharing one window are computed as one array (rolling figures, correlation); the Market
Overview computes a pair's score and lines from one ratio. Each must give what the one-at-a-time public
functions give: to the bit where the operations are the same, to rounding where a matrix product sums in
another order.
"""

import numpy as np
import pandas as pd
import pytest

from rotation_desk.core.comparison_charts import rolling_series
from rotation_desk.core.correlation import correlation_matrix, correlation_of_returns
from rotation_desk.core.metrics import window_prices
from rotation_desk.core.pairs import DEFAULT_PAIR_KEYS, pair_from_key
from rotation_desk.core.returns import rebase
from rotation_desk.core.rolling import ROLLING_WINDOWS, rolling_figures, rolling_figures_of
from rotation_desk.core.rotation import pair_view, ratio_lines, score_pair
from rotation_desk.ui.state.ranges import resolve_window
from rotation_desk.ui.tabs.overview.compute import compute_overview

FUNDS = ["DIA", "QQQ", "IWM", "XLB", "XLE", "XLF", "XLI", "XLK", "XLP", "XLU", "XLV", "XLY", "SPY"]
LAST = pd.Timestamp("2026-08-03")


def _windows(closes, names, start):
    return {n: window_prices(closes[n], start, LAST) for n in names}


@pytest.mark.parametrize("label", list(ROLLING_WINDOWS))
@pytest.mark.parametrize("start", ["2006-08-03", "2021-06-14", "2026-05-01"])
def test_rolling_of_many_series_is_each_series_alone_to_the_bit(closes, label, start):
    # the 13 funds share their sessions (one array); DFAT and BTC-USD-like gaps go one at a time
    names = [*FUNDS, "DFAT", "AVUV", "TLT"]
    series = _windows(closes, names, pd.Timestamp(start))
    series["gappy"] = series["SPY"].drop(series["SPY"].index[5::97])  # another index, same dates mostly
    periods = {"XLK": 365, "TLT": 260}
    got = rolling_figures_of(series, label, periods)
    assert list(got) == list(series)
    for name, prices in series.items():
        ret, vol = rolling_figures(prices, label, periods=periods.get(name, 252))
        pd.testing.assert_series_equal(got[name][0], ret, check_exact=True)
        pd.testing.assert_series_equal(got[name][1], vol, check_exact=True)
    ret, vol = rolling_series(series, label)
    assert set(ret) == {n for n, (r, _) in got.items() if len(r)}
    assert set(vol) == {n for n, (_, v) in got.items() if len(v)}


@pytest.mark.parametrize("start", ["2006-08-03", "2021-06-14", "2026-07-28"])
def test_correlation_of_a_common_window_is_pandas_corr_and_the_pairwise_loop(closes, start):
    series = _windows(closes, FUNDS, pd.Timestamp(start))
    assert len({len(s) for s in series.values()}) == 1  # one array: the matrix-product path
    result = correlation_matrix(series, common=True)
    frame = pd.DataFrame(series).pct_change().iloc[1:]
    expected = frame.corr()
    np.testing.assert_allclose(result.matrix.to_numpy(), expected.to_numpy(), rtol=1e-12, atol=1e-14)
    assert (result.days.to_numpy() == len(frame)).all()
    assert list(result.matrix.index) == FUNDS and list(result.days.columns) == FUNDS
    # the pair-by-pair loop (one series with a missing return forces it) on the other dates agrees
    holed = {n: r.copy() for n, r in frame.items()}
    holed["DIA"].iloc[0] = np.nan
    pairwise = correlation_of_returns(holed, common=False)
    assert pairwise.days.loc["DIA", "SPY"] == len(frame) - 1 and pairwise.days.loc["QQQ", "SPY"] == len(frame)
    np.testing.assert_allclose(
        pairwise.matrix.drop(index="DIA", columns="DIA").to_numpy(),
        result.matrix.drop(index="DIA", columns="DIA").to_numpy(),
        rtol=1e-12,
        atol=1e-14,
    )


@pytest.mark.parametrize("preset", ["1M", "1Y", "5Y", "Max"])
@pytest.mark.parametrize("last", ["2026-08-03", "2021-03-05", "2008-10-10"])
def test_overview_pairs_and_series_are_the_one_at_a_time_functions(closes, preset, last):
    window = resolve_window(preset, pd.Timestamp(last))
    keys = [*DEFAULT_PAIR_KEYS, "DFAT/SPY"]
    watchlist = ["SPY", "IWM", "DFAT", "AVUV", "TLT", "GLD"]
    result = compute_overview(closes, keys, watchlist, window)
    upto = closes.loc[: window.end]
    for p in result.pairs:
        pair = pair_from_key(p.key)
        if p.score is None:  # no common sessions up to the end
            with pytest.raises(ValueError):
                score_pair(upto, pair)
            continue
        assert p.score == score_pair(upto, pair)
        lines = ratio_lines(upto, pair, window.start, window.end)
        if p.lines is None:
            assert len(lines.ratio) < 2
            continue
        for got, expected in zip(
            (p.lines.ratio, p.lines.ma_fast, p.lines.ma_slow), (lines.ratio, lines.ma_fast, lines.ma_slow)
        ):
            pd.testing.assert_series_equal(got, expected, check_exact=True, check_freq=False)
        assert pair_view(closes, pair, window.start, window.end)[0] == p.score
    for t, s in result.watchlist.series.items():
        expected = rebase(window_prices(closes[t], window.start, window.end), 100.0)
        pd.testing.assert_series_equal(s, expected, check_exact=True, check_freq=False)
    for t in result.watchlist.missing:
        assert len(window_prices(closes[t], window.start, window.end)) < 2
