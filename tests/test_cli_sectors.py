"""`rrg` and `tilt` commands (issue 8's command-line part): output shape, numbers equal the core's, exit codes."""

import json

import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.rrg import SECTORS, rrg_at, sector_heatmap
from rotation_desk.core.tilt import PRESETS, tilt_backtest


def run(data_dir, capsys, *argv):
    code = main(["--offline", "--data-dir", str(data_dir), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


# ---------------------------------------------------------------------------- rrg
def test_rrg_json_equals_the_core(data_dir, capsys, closes):
    code, out, _ = run(data_dir, capsys, "rrg", "--format", "json", "--tail", "3")
    assert code == 0
    report = json.loads(out)
    assert report["as_of"] == "2026-08-03" and report["benchmark"] == "SPY" and report["frequency"] == "weekly"
    assert report["params"] == {"smooth": 10, "lookback": 52, "momentum": 4} and report["missing"] == []
    _, rows = rrg_at(closes, SECTORS, "SPY", None, "weekly", tail=3)
    heat = sector_heatmap(closes, SECTORS, "SPY")
    assert [i["ticker"] for i in report["tickers"]] == list(SECTORS)
    for item, row in zip(report["tickers"], rows):
        assert set(item) == {
            "ticker",
            "date",
            "rs_ratio",
            "rs_momentum",
            "quadrant",
            "periods_in_quadrant",
            "heading",
            "heading_degrees",
            "distance",
            "tail",
            "relative_returns",
        }
        assert item["rs_ratio"] == pytest.approx(row.rs_ratio, abs=1e-12)
        assert item["rs_momentum"] == pytest.approx(row.rs_momentum, abs=1e-12)
        assert item["quadrant"] == row.quadrant and item["periods_in_quadrant"] == row.periods_in_quadrant
        assert item["heading"] == row.heading
        assert [p["date"] for p in item["tail"]] == [p.date.strftime("%F") for p in row.tail]
        assert len(item["tail"]) == 3 and item["tail"][-1]["rs_ratio"] == item["rs_ratio"]
        assert list(item["relative_returns"]) == ["1w", "1m", "3m", "6m", "ytd", "1y", "3y"]
        assert item["relative_returns"]["ytd"] == pytest.approx(heat.loc[row.ticker, "YTD"], abs=1e-12)


def test_rrg_as_of_tickers_and_daily(data_dir, capsys, closes):
    code, out, err = run(
        data_dir,
        capsys,
        "rrg",
        "--tickers",
        "XLK,XLC",
        "XLRE",
        "--as-of",
        "2020-03-20",
        "--frequency",
        "daily",
        "--format",
        "json",
    )
    assert code == 0
    report = json.loads(out)
    assert report["as_of"] == "2020-03-20" and report["frequency"] == "daily"
    assert [i["ticker"] for i in report["tickers"]] == ["XLK", "XLRE"]  # XLC lacks 574 sessions by then
    assert report["missing"] == ["XLC"] and "XLC: not enough history" in err
    _, rows = rrg_at(closes, ["XLK", "XLRE"], "SPY", "2020-03-20", "daily")
    assert report["tickers"][0]["rs_ratio"] == pytest.approx(rows[0].rs_ratio, abs=1e-12)
    assert report["tickers"][1]["rs_momentum"] == pytest.approx(rows[1].rs_momentum, abs=1e-12)


def test_rrg_as_of_equals_a_store_that_ends_on_that_date(data_dir, tmp_path, capsys):
    """Issue 8: the values as of 2026-07-31 are the same when the store holds data only up to that date."""
    import shutil

    from rotation_desk.data.market import MarketData
    from rotation_desk.data.paths import resolve_paths

    argv = ("rrg", "--benchmark", "SPY", "--as-of", "2026-07-31", "--format", "json")
    code, full_out, _ = run(data_dir, capsys, *argv)
    assert code == 0
    short_dir = tmp_path / "short"
    shutil.copytree(data_dir, short_dir)
    market = MarketData(resolve_paths(short_dir), offline=True)
    for ticker in market.ticker_names():
        market.store.replace_history(ticker, market.store.read_history(ticker, end="2026-07-31"), "snapshot")
    assert market.last_session() == __import__("pandas").Timestamp("2026-07-31")
    market.store.close()
    code, short_out, _ = run(short_dir, capsys, *argv)
    assert code == 0
    full, short = json.loads(full_out), json.loads(short_out)
    assert len(full["tickers"]) == 11
    assert full["as_of"] == short["as_of"] == "2026-07-31"
    for a, b in zip(full["tickers"], short["tickers"]):
        assert a["ticker"] == b["ticker"] and a["quadrant"] == b["quadrant"]
        assert a["rs_ratio"] == pytest.approx(b["rs_ratio"], abs=1e-12)
        assert a["rs_momentum"] == pytest.approx(b["rs_momentum"], abs=1e-12)


def test_rrg_table(data_dir, capsys):
    code, out, _ = run(data_dir, capsys, "rrg")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("RRG vs SPY, weekly, as of 2026-08-03")
    assert lines[1].split()[:6] == ["Ticker", "RS-Ratio", "RS-Mom", "Quadrant", "Weeks", "Heading"]
    body = lines[3:]
    assert [line.split()[0] for line in body] == list(SECTORS)
    assert all(line.split()[3] in {"Leading", "Weakening", "Lagging", "Improving"} for line in body)


@pytest.mark.parametrize(
    "argv, code, words",
    [
        (["rrg", "--as-of", "1990-01-01"], 3, "before the first SPY close"),
        (["rrg", "--as-of", "2000-06-30"], 3, "not enough history"),
        (["rrg", "--tickers", "NOPE"], 3, "NOPE"),
        (["rrg", "--tickers", "XLK,SPY"], 2, "SPY is the benchmark"),
        (["rrg", "--as-of", "2020-13-01"], 2, "not a date"),
        (["rrg", "--frequency", "monthly"], 2, "invalid choice"),
        (["rrg", "--tail", "0"], 2, "--tail"),
    ],
)
def test_rrg_bad_input(data_dir, capsys, argv, code, words):
    got, _, err = run(data_dir, capsys, *argv)
    assert got == code and words in err


# ---------------------------------------------------------------------------- tilt
def test_tilt_json_equals_the_core(data_dir, capsys, closes):
    code, out, _ = run(
        data_dir,
        capsys,
        "tilt",
        "--weights",
        "SPY=70,XLI=10,XLF=10,XLY=10",
        "--start",
        "2006-01-01",
        "--end",
        "2025-12-31",
        "--format",
        "json",
    )
    assert code == 0
    got = json.loads(out)
    ref = tilt_backtest(closes, PRESETS["article tilts"], "SPY", "monthly", "2006-01-01", "2025-12-31")
    assert got["start"] == "2005-12-30" and got["end"] == "2025-12-31" and got["rebalance"] == "monthly"
    assert got["benchmark"] == "SPY" and got["initial"] == 10_000.0 and got["limited_by"] is None
    assert got["portfolio"]["cagr"] == pytest.approx(ref.portfolio_stats.cagr, abs=1e-12)
    assert got["portfolio"]["final_value"] == pytest.approx(ref.values.iloc[-1], abs=1e-9)
    assert got["benchmark_performance"]["max_drawdown"] == pytest.approx(ref.benchmark_stats.max_drawdown)
    assert got["tracking_error"] == pytest.approx(ref.tracking_error, abs=1e-12)
    assert got["information_ratio"] == pytest.approx(ref.information_ratio, abs=1e-12)
    assert got["active_return"] == pytest.approx(ref.active_return, abs=1e-12)
    assert got["rebalances"] == len(ref.rebalance_dates) == 240
    holdings = {h["ticker"]: h for h in got["holdings"]}
    assert list(holdings) == ["SPY", "XLI", "XLF", "XLY"]
    assert holdings["XLI"]["weight"] == 0.1 and holdings["XLI"]["satellite"] and not holdings["SPY"]["satellite"]
    assert holdings["XLF"]["contribution"] == pytest.approx(ref.contributions["XLF"], abs=1e-12)
    assert got["contribution_sum"] == pytest.approx(got["return_sum"], rel=1e-12)


def test_tilt_preset_table(data_dir, capsys):
    code, out, _ = run(
        data_dir, capsys, "tilt", "--preset", "defensive", "--rebalance", "quarterly", "--start", "2010-01-01"
    )
    assert code == 0
    assert out.startswith("Tilt SPY 80 % · XLU 10 % · XLP 10 % vs SPY, rebalanced quarterly, 2009-12-31 – 2026-08-03")
    for words in [
        "Value of 10,000",
        "CAGR",
        "Max drawdown",
        "tracking error",
        "information ratio",
        "Contribution",
        "Sum",
    ]:
        assert words in out


def test_tilt_states_a_later_start(data_dir, capsys):
    code, out, err = run(
        data_dir,
        capsys,
        "tilt",
        "--weights",
        "SPY=90,XLC=10",
        "--start",
        "2010-01-01",
        "--rebalance",
        "never",
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)["start"] == "2018-06-19" and "XLC" in err


@pytest.mark.parametrize(
    "argv, code, words",
    [
        (["tilt", "--weights", "SPY=70,XLI=10,XLF=10"], 2, "sum to 90 %"),
        (["tilt", "--weights", "SPY=90,NOPE=10"], 3, "NOPE"),
        (["tilt", "--weights", "SPY70"], 2, "TICKER=PERCENT"),
        (["tilt", "--weights", "SPY=-10,XLI=110"], 2, "negative"),
        (["tilt", "--preset", "yolo"], 2, "no preset"),
        (["tilt"], 2, "--weights"),
        (["tilt", "--weights", "SPY=50,XLC=50", "--end", "2018-01-01"], 3, "fewer than two common sessions"),
        (["tilt", "--preset", "defensive", "--start", "2021-01-01", "--end", "2020-01-01"], 2, "not after"),
        (["tilt", "--preset", "defensive", "--rebalance", "weekly"], 2, "invalid choice"),
    ],
)
def test_tilt_bad_input(data_dir, capsys, argv, code, words):
    got, _, err = run(data_dir, capsys, *argv)
    assert got == code and words in err


def test_tilt_rf_sets_the_sharpe_ratios_and_defaults_to_zero(data_dir, capsys, closes):
    """``--rf`` (the window's risk-free setting, on the command line) moves only the Sharpe ratios;
    without it the rate is 0, whatever the window's settings say."""
    import empyrical

    argv = ["tilt", "--weights", "SPY=70,XLI=10,XLF=10,XLY=10", "--start", "2016-01-01", "--format", "json"]
    code, out, _ = run(data_dir, capsys, *argv)
    plain = json.loads(out)
    code4, out4, _ = run(data_dir, capsys, *argv, "--rf", "0.04")
    assert code == code4 == 0
    at_four = json.loads(out4)
    weights = {"SPY": 70.0, "XLI": 10.0, "XLF": 10.0, "XLY": 10.0}
    result = tilt_backtest(closes[list(weights)], weights, "SPY", "monthly", "2016-01-01")
    returns = result.values.pct_change().dropna()
    assert plain["portfolio"]["sharpe"] == pytest.approx(empyrical.sharpe_ratio(returns), rel=1e-10)
    assert at_four["portfolio"]["sharpe"] == pytest.approx(
        empyrical.sharpe_ratio(returns, risk_free=1.04 ** (1 / 252) - 1), rel=1e-10
    )
    assert at_four["portfolio"]["final_value"] == plain["portfolio"]["final_value"]
    code, _, err = run(data_dir, capsys, "tilt", "--weights", "SPY=100", "--rf", "4")
    assert code == 2 and "give the annual rate as a fraction" in err
