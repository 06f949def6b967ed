"""The thesis scorecard: the issue's expected figures, verdicts and output shape."""

import json

import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.returns import window_return
from rotation_desk.core.thesis import NOT_CHECKABLE, NOT_SUPPORTED, SUPPORTED, thesis_scorecard
from rotation_desk.data.facts import load_bundled_facts


@pytest.fixture(scope="module")
def claims(closes):
    return {c.id: c for c in thesis_scorecard(closes, load_bundled_facts())}


def test_acwx_first_half_2025_about_18_5_supported(claims, closes):
    c = claims["acwx_2025_h1"]
    (fig,) = c.check.figures
    expected = closes["ACWX"].loc["2025-06-30"] / closes["ACWX"].loc["2024-12-31"] - 1
    assert fig.value == pytest.approx(expected) and round(fig.value * 100, 1) == 18.5
    assert c.check.verdict == SUPPORTED


def test_nasdaq_vs_value_ytd_to_2025_07_22_not_supported(claims):
    c = claims["nasdaq_vs_value_ytd"]
    q, v, gap = c.check.figures
    assert (q.start.strftime("%F"), q.end.strftime("%F")) == ("2024-12-31", "2025-07-22")
    assert round(q.value * 100) == 10 and round(v.value * 100) == 8
    assert gap.value == pytest.approx(v.value - q.value)
    assert c.check.verdict == NOT_SUPPORTED


def test_2009_recovery_windows(claims, closes):
    c = claims["small_caps_2009_recovery"]
    labels = [f.label for f in c.check.figures]
    assert labels == ["IWM 12 months", "SPY 12 months", "IWM 24 months", "SPY 24 months"]
    iwm24 = window_return(closes["IWM"], "2009-03-09", "2011-03-09").total
    assert c.check.figures[2].value == pytest.approx(iwm24)
    assert c.check.verdict == NOT_SUPPORTED  # 140 % only at 24 months, 70 % only at 12


def test_defensives_facts_and_uncheckable(claims):
    assert claims["defensives_in_stagflation"].check.verdict == SUPPORTED
    vbr = claims["vbr_expense_ratio"]
    assert vbr.check.figures[0].value == pytest.approx(0.05) and "2025-12-31" in vbr.check.window
    assert vbr.check.verdict == NOT_SUPPORTED
    assert claims["eemv_value"].check.verdict == NOT_SUPPORTED and "Min Vol" in claims["eemv_value"].check.note
    assert claims["small_cap_discount"].check.verdict == NOT_CHECKABLE


def test_as_of_today_uses_the_last_cached_session(claims):
    today = claims["nasdaq_vs_value_ytd"].today
    assert today.end.strftime("%F") == "2026-08-03" and today.start.strftime("%F") == "2025-12-31"


def test_cli_json_has_proxies_windows_and_verdicts(data_dir, capsys):
    assert main(["--offline", "--data-dir", str(data_dir), "thesis", "--format", "json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert len(items) == 8
    for item in items:
        assert {"claim", "proxies", "window", "figures", "verdict", "as_of_today"} <= set(item)
    acwx = next(i for i in items if i["id"] == "acwx_2025_h1")
    assert acwx["proxies"] == ["ACWX"] and acwx["window"]["start"] == "2024-12-31"
    assert acwx["window"]["end"] == "2025-06-30" and round(acwx["figures"][0]["value"], 3) == 0.185
    assert acwx["verdict"] == "supported"
    nq = next(i for i in items if i["id"] == "nasdaq_vs_value_ytd")
    assert nq["window"]["end"] == "2025-07-22" and nq["verdict"] == "not supported"


def test_cli_table(data_dir, capsys):
    assert main(["--offline", "--data-dir", str(data_dir), "thesis"]) == 0
    out = capsys.readouterr().out
    assert "ACWX 2025 H1 +18.5 %" in out and "NOT CHECKABLE WITH PRICE DATA" in out
