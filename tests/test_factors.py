"""Factor exposure (issue 16): the shipped Fama/French files, the OLS against statsmodels, the published AVUV figure."""

import io
import lzma
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.regression.rolling import RollingOLS

from rotation_desk.core.factor_model import FACTORS, MODELS, factor_exposure, plain_reading, rolling_exposure
from rotation_desk.data import factors as factor_files
from rotation_desk.data.paths import resolve_paths
from rotation_desk.data.resources import read_bytes
from rotation_desk.errors import BadInput, DataUnavailable

ROOT = Path(__file__).resolve().parent.parent
SHARED = next((p / "shared/data/factors" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()), None)


def shipped_text(frequency):
    return lzma.decompress(read_bytes(factor_files.FILE_NAMES[frequency] + ".xz")).decode("ascii")


def independent_factors(frequency) -> pd.DataFrame:
    """The shipped file read with pandas (not our parser): percent → fractions, annual block left out."""
    text = shipped_text(frequency)
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(",Mkt-RF"))
    stop = (
        next(i for i in range(start + 1, len(lines)) if not lines[i].strip()) if frequency == "monthly" else len(lines)
    )
    frame = pd.read_csv(io.StringIO("\n".join(lines[start:stop])), index_col=0)
    frame.columns = [*FACTORS, "rf"]
    frame.index = frame.index.astype(str)
    return frame / 100.0


@pytest.fixture(scope="module")
def monthly():
    return factor_files.load_factors("monthly")


@pytest.fixture(scope="module")
def daily():
    return factor_files.load_factors("daily")


# ---------------------------------------------------------------------------- the shipped files
@pytest.mark.skipif(SHARED is None, reason="shared/data is not beside the repository")
@pytest.mark.parametrize("frequency", ["monthly", "daily"])
def test_shipped_files_are_the_published_bytes(frequency):
    name = factor_files.FILE_NAMES[frequency]
    assert lzma.decompress(read_bytes(name + ".xz")) == (SHARED / name).read_bytes()


def test_parsed_files(monthly, daily):
    assert monthly.last_date == pd.Timestamp("2024-08-30") == daily.last_date
    assert monthly.database == daily.database == "202408"
    assert len(monthly.table) == (2024 - 1963) * 12 + 2  # 1963-07 … 2024-08; the annual block is not read
    assert str(monthly.table.index[0]) == "1963-07" and str(monthly.table.index[-1]) == "2024-08"
    assert monthly.table.loc[pd.Period("1963-07", "M")].tolist() == pytest.approx(
        [-0.0039, -0.0041, -0.0097, 0.0068, -0.0118, 0.0027]
    )
    assert monthly.table.loc[pd.Period("2024-08", "M"), "smb"] == pytest.approx(-0.0365)
    assert len(daily.table) == 15397 and daily.table.index[0] == pd.Timestamp("1963-07-01")
    assert daily.table.loc["2024-08-30"].tolist() == pytest.approx([0.0098, -0.0056, 0.0004, -0.0020, -0.0014, 0.00022])
    for frequency, parsed in (("monthly", monthly), ("daily", daily)):
        ref = independent_factors(frequency)
        assert np.allclose(parsed.table.to_numpy(), ref.to_numpy(), rtol=0, atol=1e-15)
    assert "202408 CRSP" in monthly.describe() and "bundled" in monthly.source


@pytest.mark.parametrize(
    "edit, words",
    [
        (lambda t: t.replace(",Mkt-RF,SMB,HML,RMW,CMA,RF", ",Mkt,SMB,HML"), "no header row"),
        (lambda t: t.replace("196308,    5.07", "1963-8,    5.07"), "line 6"),
        (lambda t: t.replace("196309,   -1.57", "196309,   abc"), "line 7: a value is not a number"),
        (lambda t: t.replace("196310,    2.53", "196310,  -99.99"), "line 8: missing"),
        (lambda t: t.replace("196311,", "196312,", 1), "not consecutive"),
        (lambda t: t.replace("196308,    5.07,   -0.80,", "196308,    5.07,"), "line 6: 5 values"),
    ],
)
def test_a_damaged_file_names_its_line(edit, words):
    text = edit(shipped_text("monthly"))
    with pytest.raises(factor_files.FactorFileError, match=words):
        factor_files.parse_factor_text(text, "monthly", "test.csv")


def test_a_newer_downloaded_file_is_used_and_a_damaged_one_ignored(tmp_path, monkeypatch):
    paths = resolve_paths(tmp_path).ensure()
    paths.factors_dir.mkdir()
    target = factor_files.user_factor_file(paths, "monthly")
    target.write_bytes(shipped_text("monthly").encode())
    # the same file is not newer: the bundled copy stays in use
    assert "bundled" in factor_files.load_factors("monthly", paths).source
    # a bundle that ends a month earlier (the real file, its last month cut) makes the download the newer one
    real = factor_files.bundled_factors("monthly")
    cut = factor_files.ParsedFactors(real.table.iloc[:-1], pd.Timestamp("2024-07-31"), real.database)
    monkeypatch.setattr(factor_files, "bundled_factors", lambda frequency: cut)
    used = factor_files.load_factors("monthly", paths)
    assert str(target) in used.source and used.last_date == pd.Timestamp("2024-08-30") and len(used.table) == 734
    target.write_bytes(b"not a factor file\n")
    notices = []
    used = factor_files.load_factors("monthly", paths, notices)
    assert used.last_date == pd.Timestamp("2024-07-31") and "ignoring the downloaded factor file" in notices[0]


# ---------------------------------------------------------------------------- regression
def monthly_returns_pandas(prices: pd.Series) -> pd.Series:
    month_end = prices.dropna().groupby(prices.dropna().index.to_period("M")).last()
    return month_end.pct_change().iloc[1:]


def test_published_avuv_ff5_figure(closes, monthly):
    """AVUV, FF5 monthly, 2019-10 – 2022-09: market 1.09, SMB 0.82, HML 0.60, RMW 0.14 (0.1387), CMA −0.09, R² 98.3 %."""
    e = factor_exposure(closes["AVUV"], monthly, "ff5", "2019-10-01", "2022-09-30")
    assert e.observations == 36 and e.start == pd.Timestamp("2019-09-30") and e.end == pd.Timestamp("2022-09-30")
    got = {f: round(e.betas[f], 2) for f in FACTORS}
    assert got == {"mkt_rf": 1.09, "smb": 0.82, "hml": 0.60, "rmw": 0.14, "cma": -0.09}
    assert round(e.betas["rmw"], 3) == 0.139  # the 0.13 would need truncation, which gives market 1.08
    assert round(e.r_squared, 3) == 0.983
    assert e.notes == ()
    assert e.reading.startswith("Strong small-cap tilt, strong value tilt; market beta 1.09")


@pytest.mark.parametrize(
    "ticker, model, frequency, start, end",
    [
        ("AVUV", "ff5", "monthly", "2019-10-01", "2022-09-30"),
        ("VBR", "ff3", "monthly", "2010-01-01", "2024-08-30"),
        ("SPY", "capm", "monthly", None, None),
        ("DFAT", "ff5", "daily", "2021-07-01", "2024-06-28"),
        ("EEMV", "ff3", "daily", "2015-01-02", "2019-12-31"),
    ],
)
def test_ols_equals_statsmodels(closes, monthly, daily, ticker, model, frequency, start, end):
    factors = monthly if frequency == "monthly" else daily
    e = factor_exposure(closes[ticker], factors, model, start, end)
    ref_factors = independent_factors(frequency)
    prices = closes[ticker].dropna()
    if frequency == "monthly":
        fund = monthly_returns_pandas(prices)
        keys = fund.index.strftime("%Y%m")
        lo = pd.Period(start, "M") if start else fund.index[0]
        hi = pd.Period(end, "M") if end else pd.Period("2024-08", "M")
        keep = (fund.index >= lo) & (fund.index <= hi)
    else:
        fund = prices.pct_change().iloc[1:]
        keys = fund.index.strftime("%Y%m%d")
        keep = (fund.index > pd.Timestamp(start)) & (fund.index <= pd.Timestamp(end))
    fund, keys = fund[keep], keys[keep]
    f = ref_factors.loc[keys]
    y = fund.to_numpy() - f["rf"].to_numpy()
    names = list(MODELS[model])
    fit = sm.OLS(y, sm.add_constant(f[names].to_numpy())).fit()
    assert e.observations == int(fit.nobs) == len(y)
    per_year = 12 if frequency == "monthly" else 252
    assert e.alpha == pytest.approx(fit.params[0] * per_year, rel=1e-9, abs=1e-12)
    assert e.alpha_t_stat == pytest.approx(fit.tvalues[0], rel=1e-8)
    assert e.alpha_std_error == pytest.approx(fit.bse[0] * per_year, rel=1e-9)
    for i, name in enumerate(names, start=1):
        assert e.betas[name] == pytest.approx(fit.params[i], rel=1e-9)
        assert e.std_errors[name] == pytest.approx(fit.bse[i], rel=1e-9)
        assert e.t_stats[name] == pytest.approx(fit.tvalues[i], rel=1e-8)
    assert e.r_squared == pytest.approx(fit.rsquared, rel=1e-10)
    assert e.adj_r_squared == pytest.approx(fit.rsquared_adj, rel=1e-10)


@pytest.mark.parametrize("frequency, window", [("monthly", 24), ("daily", 126)])
def test_rolling_betas_equal_statsmodels_rolling_ols(closes, monthly, daily, frequency, window):
    factors = monthly if frequency == "monthly" else daily
    e = factor_exposure(closes["VBR"], factors, "ff5", "2012-01-01", "2020-12-31")
    roll = rolling_exposure(e, window)
    x = sm.add_constant(e.data[list(FACTORS)].to_numpy())
    ref = RollingOLS(e.data["excess"].to_numpy(), x, window=window).fit()
    params = ref.params[window - 1 :]
    assert len(roll) == len(e.data) - window + 1 and roll.index[-1] == e.end
    assert np.allclose(roll[list(FACTORS)].to_numpy(), params[:, 1:], rtol=1e-7, atol=1e-9)
    per_year = 12 if frequency == "monthly" else 252
    assert np.allclose(roll["alpha"].to_numpy(), params[:, 0] * per_year, rtol=1e-7, atol=1e-9)
    assert np.allclose(roll["r_squared"].to_numpy(), ref.rsquared[window - 1 :], rtol=1e-7, atol=1e-9)
    # the last window is the plain regression over the last ``window`` observations
    last = (
        factor_exposure(closes["VBR"], factors, "ff5", e.data.index[-window - 1], "2020-12-31")
        if frequency == "daily"
        else None
    )
    if last is not None:
        assert roll["smb"].iloc[-1] == pytest.approx(last.betas["smb"], rel=1e-8)


def test_window_past_the_factors_is_cut_and_says_so(closes, monthly, daily):
    e = factor_exposure(closes["AVUV"], monthly, "ff3", "2023-01-01", "2026-07-31")
    assert e.end == pd.Timestamp("2024-08-30") and e.observations == 20
    assert e.notes == ("window cut at the factors' last date 2024-08-30",)
    d = factor_exposure(closes["AVUV"], daily, "capm", "2024-06-28")
    assert d.end == pd.Timestamp("2024-08-30") and d.notes == ("window cut at the factors' last date 2024-08-30",)
    inside = factor_exposure(closes["AVUV"], monthly, "capm", "2020-01-01", "2021-12-31")
    assert inside.notes == () and inside.observations == 24


def test_a_fund_that_starts_inside_the_window_loses_its_first_partial_month(closes, monthly):
    e = factor_exposure(closes["AVUV"], monthly, "capm", "2019-09-01", "2020-12-31")
    assert e.start == pd.Timestamp("2019-09-30") and e.observations == 15  # Oct 2019 – Dec 2020
    assert "AVUV starts 2019-09-26" in e.notes[0]


def test_bad_and_unavailable_windows(closes, monthly):
    with pytest.raises(DataUnavailable, match="after the factors' last date"):
        factor_exposure(closes["AVUV"], monthly, "ff5", "2025-01-01")
    with pytest.raises(DataUnavailable, match="first close 2019-09-26 is after the window"):
        factor_exposure(closes["AVUV"], monthly, "ff5", "2010-01-01", "2015-12-31")
    with pytest.raises(DataUnavailable, match="needs at least 7"):
        factor_exposure(closes["AVUV"], monthly, "ff5", "2020-01-01", "2020-05-31")
    with pytest.raises(BadInput, match="--model"):
        factor_exposure(closes["AVUV"], monthly, "ff4")
    with pytest.raises(BadInput, match="not after"):
        factor_exposure(closes["AVUV"], monthly, "ff5", "2021-01-01", "2020-01-01")
    e = factor_exposure(closes["AVUV"], monthly, "ff5", "2019-10-01", "2022-09-30")
    with pytest.raises(BadInput, match="--rolling 37 is longer than the window's 36 months"):
        rolling_exposure(e, 37)
    with pytest.raises(BadInput, match="at least 7"):
        rolling_exposure(e, 6)


def test_plain_reading_thresholds():
    assert plain_reading(
        {"mkt_rf": 0.7, "smb": -0.3, "hml": 0.12, "rmw": 0.6, "cma": -0.2},
        dict.fromkeys(["mkt_rf", "smb", "hml", "rmw", "cma"], 5.0),
        0.9,
    ) == (
        "Moderate large-cap tilt, slight value tilt, strong profitability tilt, slight aggressive-investment tilt; "
        "market beta 0.70 (low)"
    )
    # a large beta that is not significant is not called a tilt; a low R² is said
    assert plain_reading({"mkt_rf": 1.3, "smb": 0.8, "hml": 0.05}, {"mkt_rf": 9.0, "smb": 1.5, "hml": 3.0}, 0.4) == (
        "No clear size or value tilt; market beta 1.30 (high); the model explains only 40 % of the return variation"
    )
