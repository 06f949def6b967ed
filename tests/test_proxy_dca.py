"""Issue 14, longer history by proxy on `dca --backtest` and `export-chart`: a plan that starts before its
fund's first close, its values against a hand splice of the source files, the refusals (one line, exit code)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from snapshot_closes import DFAT_PLAN, source_closes

from rotation_desk.cli.main import main

PLAN = DFAT_PLAN


@pytest.fixture
def plan_file(tmp_path) -> Path:
    path = tmp_path / "dfat.json"
    path.write_text(json.dumps(PLAN))
    return path


def run(capsys, data_dir, *argv):
    code = main(["--offline", "--data-dir", str(data_dir), *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_dca_backtest_with_a_proxy_starts_before_the_funds_first_close(data_dir, plan_file, tmp_path, capsys):
    b, ledger = tmp_path / "b.json", tmp_path / "l.csv"
    code, out, err = run(
        capsys, data_dir, "dca", plan_file, "--backtest", b, "--ledger", ledger, "--proxy", "DFAT=VBR"
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(b.read_text())
    assert result["start"] == "2016-01-04" and result["start"] < "2021-06-14"
    assert result["proxies"] == {
        "DFAT": {"ticker": "VBR", "until": "2021-06-14", "from": "2004-01-30", "sessions": 4372}
    }
    assert "* DFAT before 2021-06-14: VBR's returns (from 2004-01-30)" in out

    # by hand from the source files: DFAT before its first close is DFAT(F) × VBR(d) / VBR(F)
    vbr, dfat = source_closes("VBR"), source_closes("DFAT")
    first = dfat.index[0]
    spliced = pd.concat([vbr[vbr.index < first] / vbr[first] * dfat[first], dfat])
    prices = {"DFAT": spliced, "VBR": vbr}
    rows = list(csv.DictReader(ledger.open()))
    shares = {"DFAT": 0.0, "VBR": 0.0}
    for r in rows:
        day = pd.Timestamp(r["date"])
        assert float(r["price"]) == pytest.approx(prices[r["ticker"]][day], rel=1e-6)
        shares[r["ticker"]] += float(r["amount"]) / prices[r["ticker"]][day]
    assert min(pd.Timestamp(r["date"]) for r in rows if r["ticker"] == "DFAT") < first  # bought on VBR's returns
    end = pd.Timestamp("2023-12-29")
    value = sum(n * prices[t][:end].iloc[-1] for t, n in shares.items())
    assert result["value"] == pytest.approx(value, abs=0.02)
    assert result["invested"] == 96_000.0

    # without the proxy the same window is refused: DFAT has no prices before 2021-06-14
    code, out, err = run(capsys, data_dir, "dca", plan_file, "--backtest", tmp_path / "c.json")
    assert code == 3 and "DFAT has no prices before 2021-06-14" in err


@pytest.mark.parametrize(
    "proxy, exit_code, words",
    [
        ("DFAT=NOPE", 3, "--proxy DFAT=NOPE: no price data for NOPE"),
        ("DFAT", 2, "write it as FUND=PROXY"),
        ("DFAT=^TNX", 2, "^TNX is a yield (a rate), not a price"),
        ("SPY=VBR", 2, "SPY is not one of the tickers (DFAT, VBR)"),
        ("DFAT=DFSV", 2, "DFSV starts 2022-02-24, not before DFAT's first close 2021-06-14"),
    ],
)
def test_dca_proxy_refusals_one_line_and_no_file(data_dir, plan_file, tmp_path, capsys, proxy, exit_code, words):
    b = tmp_path / "b.json"
    code, out, err = run(capsys, data_dir, "dca", plan_file, "--backtest", b, "--proxy", proxy)
    assert (code, out) == (exit_code, "") and err.count("\n") == 1 and words in err
    assert not b.exists()


def test_dca_proxy_needs_the_backtest_and_a_window_before_the_fund(data_dir, plan_file, tmp_path, capsys):
    code, out, err = run(capsys, data_dir, "dca", plan_file, "--schedule", tmp_path / "s.csv", "--proxy", "DFAT=VBR")
    assert code == 2 and "--proxy goes with --backtest" in err and not (tmp_path / "s.csv").exists()
    code, out, err = run(
        capsys, data_dir, "dca", plan_file, "--backtest", tmp_path / "b.json", "--from", "2022-01-03",
        "--proxy", "DFAT=VBR",
    )  # fmt: skip
    assert code == 2 and "DFAT has closes from 2021-06-14, on or before the start 2022-01-03: it needs no proxy" in err
