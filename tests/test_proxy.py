"""Issue 14, longer history by proxy: the splice (hand-worked), its refusals, the command line, the shipped
suggestions (recomputed from the snapshot)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from snapshot_closes import source_closes

from rotation_desk.cli.main import main
from rotation_desk.core.instruments import Instrument
from rotation_desk.core.proxy import check_proxies, parse_proxies, splice, splice_closes
from rotation_desk.core.proxy_fit import proxy_fit
from rotation_desk.data import proxies as shipped
from rotation_desk.errors import BadInput

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def days(*texts):
    return pd.to_datetime(list(texts))


# -- the splice, by hand ----------------------------------------------------------------------
def test_splice_hand_worked():
    """P: 100, 110, 99, 105 on d1..d4; T starts on d3 at 50. Before d3, T = 50 × P / P(d3) = 50 × P / 99."""
    p = pd.Series([100.0, 110.0, 99.0, 105.0], index=days("2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07"))
    t = pd.Series([50.0, 52.0], index=days("2020-01-06", "2020-01-07"), name="T")
    out, info = splice(t, p, "P")
    np.testing.assert_allclose(out.to_numpy(), [50 * 100 / 99, 50 * 110 / 99, 50.0, 52.0])
    assert out.loc["2020-01-06":].equals(t)  # T's own closes untouched
    returns = out.pct_change().dropna().to_numpy()
    np.testing.assert_allclose(returns, [0.10, 99 / 110 - 1, 52 / 50 - 1])  # P's returns, then T's
    assert (info.until, info.anchor, info.sessions, info.proxy_first) == (
        pd.Timestamp("2020-01-06"),
        pd.Timestamp("2020-01-06"),
        2,
        pd.Timestamp("2020-01-02"),
    )
    assert info.label() == "T before 2020-01-06: P's returns"


def test_splice_when_the_proxy_has_no_close_on_the_funds_first_day():
    p = pd.Series([100.0, 110.0], index=days("2020-01-02", "2020-01-03"))
    t = pd.Series([50.0, 55.0], index=days("2020-01-06", "2020-01-07"), name="T")
    out, info = splice(t, p, "P")
    np.testing.assert_allclose(out.to_numpy(), [50 * 100 / 110, 50.0, 50.0, 55.0])  # flat from 01-03 to 01-06
    assert info.anchor == pd.Timestamp("2020-01-03") and info.sessions == 2


def test_refusals_name_the_pair():
    closes = pd.DataFrame(
        {"DFAT": [np.nan, np.nan, 10.0, 11.0], "VBR": [1.0, 2.0, 3.0, 4.0], "LATE": [np.nan, np.nan, np.nan, 5.0]},
        index=days("2020-01-02", "2020-01-03", "2020-01-06", "2020-01-07"),
    )
    with pytest.raises(BadInput, match="LATE starts 2020-01-07, not before DFAT's first close 2020-01-06"):
        check_proxies(closes, {"DFAT": "LATE"})
    with pytest.raises(BadInput, match="on or before the start 2020-01-06: it needs no proxy"):
        check_proxies(closes, {"DFAT": "VBR"}, start="2020-01-06")
    check_proxies(closes, {"DFAT": "VBR"}, start="2020-01-03")
    with pytest.raises(BadInput, match="VBR is in GBP and DFAT in USD"):
        check_proxies(
            closes, {"DFAT": "VBR"}, {"DFAT": Instrument("DFAT", "ETF", "USD"), "VBR": Instrument("VBR", "ETF", "GBP")}
        )
    with pytest.raises(BadInput, match="a ticker cannot be its own proxy"):
        parse_proxies("DFAT=DFAT")
    with pytest.raises(BadInput, match="VBR is itself extended"):
        parse_proxies(["DFAT=VBR", "VBR=IJS"])
    assert parse_proxies(["dfat=vbr,avuv=ijs", "DFSV=VBR"]) == {"DFAT": "VBR", "AVUV": "IJS", "DFSV": "VBR"}
    spliced, info = splice_closes(closes, {"DFAT": "VBR"})
    assert spliced["LATE"].equals(closes["LATE"]) and list(info) == ["DFAT"]


# -- the command line ---------------------------------------------------------------------------------
def test_metrics_dfat_with_vbr_gives_the_spliced_windows_return(data_dir, capsys):
    code, out, err = run(
        capsys, "--offline", "--data-dir", str(data_dir), "metrics", "DFAT", "--proxy", "DFAT=VBR",
        "--start", "2016-01-04", "--end", "2023-12-29", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    [row] = json.loads(out)
    vbr, dfat = source_closes("VBR"), source_closes("DFAT")
    first = dfat.index[0]
    assert first == pd.Timestamp("2021-06-14")
    # by hand from the source files: VBR's returns before DFAT's first close, DFAT's after
    expected = vbr[first] / vbr["2016-01-04"] * dfat["2023-12-29"] / dfat[first] - 1
    assert row["total_return"] == pytest.approx(expected, rel=1e-12)
    assert row["proxy"] == {"ticker": "VBR", "until": "2021-06-14", "from": "2004-01-30", "sessions": 4372}
    assert (row["start"], row["end"], row["first_date"]) == ("2016-01-04", "2023-12-29", "2021-06-14")
    code, out, _ = run(
        capsys, "--offline", "--data-dir", str(data_dir), "metrics", "DFAT", "VBR", "--proxy", "DFAT=VBR",
        "--start", "2016-01-04", "--end", "2023-12-29",
    )  # fmt: skip
    assert out.splitlines()[2].startswith("DFAT*") and "* DFAT before 2021-06-14: VBR's returns" in out


@pytest.mark.parametrize(
    "argv, words",
    [
        (["DFAT", "--proxy", "DFAT=DFSV"], "DFSV starts 2022-02-24, not before DFAT's first close 2021-06-14"),
        (["VBR", "--proxy", "VBR=SPY", "--start", "2016-01-04"], "VBR has closes from 2004-01-30"),
        (["DFAT", "--proxy", "DFAT=^TNX"], "^TNX is a yield"),
        (["DFAT", "--proxy", "SPY=VBR"], "SPY is not one of the tickers"),
        (["DFAT", "--proxy", "DFAT"], "write it as FUND=PROXY"),
    ],
)
def test_metrics_proxy_refusals_exit_2_with_one_line(data_dir, capsys, argv, words):
    code, out, err = run(capsys, "--offline", "--data-dir", str(data_dir), "metrics", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and words in err


def test_tilt_correlation_and_factors_take_the_proxy(data_dir, capsys):
    base = ["--offline", "--data-dir", str(data_dir)]
    code, out, err = run(
        capsys, *base, "tilt", "--weights", "SPY=70,DFAT=30", "--proxy", "DFAT=VBR", "--start", "2015-01-02",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert result["start"] == "2015-01-02" and result["proxies"]["DFAT"]["ticker"] == "VBR"
    code, out, _ = run(
        capsys, *base, "tilt", "--weights", "SPY=70,DFAT=30", "--start", "2015-01-02", "--format", "json"
    )
    assert json.loads(out)["start"] == "2021-06-14"  # without the proxy the window starts at DFAT's first close
    code, out, err = run(
        capsys, *base, "correlation", "DFAT", "SPY", "--proxy", "DFAT=VBR", "--start", "2010-01-04", "--format", "json"
    )
    report = json.loads(out)
    assert code == 0 and report["start"] == "2010-01-04" and report["proxies"]["DFAT"]["until"] == "2021-06-14"
    vbr, dfat, spy = source_closes("VBR"), source_closes("DFAT"), source_closes("SPY")
    spliced = pd.concat([vbr[:"2021-06-11"] / vbr["2021-06-14"] * dfat.iloc[0], dfat])
    both = pd.concat([spliced, spy], axis=1, sort=True).loc["2010-01-04":].dropna().pct_change().dropna()
    assert report["matrix"]["DFAT"]["SPY"] == pytest.approx(both.corr().iloc[0, 1], abs=1e-12)
    code, out, err = run(
        capsys, *base, "factors", "DFAT", "--proxy", "DFAT=VBR", "--start", "2015-01-01", "--format", "json"
    )
    assert code == 0 and json.loads(out)[0]["proxy"]["ticker"] == "VBR" and json.loads(out)[0]["start"] < "2016"
    assert "DFAT before 2021-06-14: VBR's returns" in err


# -- the shipped suggestions ------------------------------------------------------------------------------
def _tool():
    spec = importlib.util.spec_from_file_location("build_proxies", ROOT / "tools" / "build_proxies.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_suggestions_are_what_the_snapshot_measures(closes):
    tool = _tool()
    assert (ROOT / "resources" / "proxies.csv").read_text() == tool.render(tool.build_rows(closes))
    found = shipped.suggestions()
    assert {"DFAT", "AVUV", "DFSV", "DFIV", "AVDV", "CALF", "COWZ"} <= set(found)
    best = shipped.suggested("DFAT")
    assert (best.proxy, best.rank, best.correlation) == ("VBR", 1, 0.9831)


def test_fit_figures_by_an_independent_computation(closes):
    fit = proxy_fit(closes["DFAT"].dropna(), closes["VBR"].dropna(), "DFAT", "VBR")
    both = closes[["DFAT", "VBR"]].dropna()
    r = both.pct_change().dropna()
    assert fit.correlation == pytest.approx(r.corr().iloc[0, 1], abs=1e-12)
    years = (both.index[-1] - both.index[0]).days / 365.25
    growth = both.iloc[-1] / both.iloc[0]
    assert fit.tracking_difference == pytest.approx(growth["DFAT"] ** (1 / years) - growth["VBR"] ** (1 / years))
    assert fit.tracking_error == pytest.approx((r["DFAT"] - r["VBR"]).std() * 252**0.5)


def test_data_proxies_lists_them(data_dir, capsys):
    code, out, _ = run(capsys, "--offline", "--data-dir", str(data_dir), "data", "proxies", "DFAT", "--format", "json")
    items = json.loads(out)
    assert code == 0 and [i["proxy"] for i in items][0] == "VBR" and items[0]["segment"].startswith("US small")
    code, _, err = run(capsys, "--offline", "--data-dir", str(data_dir), "data", "proxies", "SPY")
    assert code == 3 and "no suggested proxy for SPY" in err
