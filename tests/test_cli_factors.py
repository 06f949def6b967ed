"""`rotation-desk factors` and `factors update` (issue 16): JSON shape, exit codes, the recorded Data Library answer."""

import io
import json
import lzma
import zipfile

import curl_cffi.requests
import pandas as pd
import pytest

from rotation_desk.cli.main import main
from rotation_desk.core.factor_model import factor_exposure
from rotation_desk.data import factors as factor_files
from rotation_desk.data.factor_update import ZIP_NAMES, factor_url
from rotation_desk.data.paths import resolve_paths
from rotation_desk.data.resources import read_bytes


def run(data_dir, capsys, *argv, offline=True):
    code = main([*(["--offline"] if offline else []), "--data-dir", str(data_dir), *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_factors_json_per_ticker(data_dir, capsys, closes):
    argv = ("factors", "AVUV", "--model", "ff5", "--frequency", "monthly", "--start", "2019-10-01")
    code, out, err = run(data_dir, capsys, *argv, "--end", "2022-09-30", "--format", "json")
    assert code == 0 and err == ""
    (item,) = json.loads(out)
    for key in ("ticker", "start", "end", "observations", "alpha", "r_squared", "betas", "t_stats", "std_errors"):
        assert key in item
    assert item["ticker"] == "AVUV" and item["start"] == "2019-09-30" and item["end"] == "2022-09-30"
    assert item["observations"] == 36 and round(item["r_squared"], 3) == 0.983
    assert {k: round(v, 2) for k, v in item["betas"].items()} == {
        "mkt_rf": 1.09,
        "smb": 0.82,
        "hml": 0.60,
        "rmw": 0.14,
        "cma": -0.09,
    }
    ref = factor_exposure(closes["AVUV"], factor_files.load_factors("monthly"), "ff5", "2019-10-01", "2022-09-30")
    assert item["alpha"] == pytest.approx(ref.alpha, abs=1e-15)
    assert item["t_stats"]["smb"] == pytest.approx(ref.t_stats["smb"], abs=1e-12)


def test_factors_capm_leaves_the_other_keys_empty_and_says_the_window_was_cut(data_dir, capsys):
    code, out, err = run(data_dir, capsys, "factors", "VBR", "SPY", "--model", "capm", "--format", "json")
    assert code == 0
    items = json.loads(out)
    assert [i["ticker"] for i in items] == ["VBR", "SPY"]
    assert items[1]["betas"]["smb"] is None and items[1]["t_stats"]["cma"] is None
    # SPY (500 large caps) against the whole US market: beta a little below 1, almost all variation explained
    assert 0.9 < items[1]["betas"]["mkt_rf"] < 1.0 and items[1]["r_squared"] > 0.97
    assert items[0]["end"] == "2024-08-30"
    assert "VBR: window cut at the factors' last date 2024-08-30" in err


def test_factors_table_and_rolling(data_dir, capsys):
    code, out, _ = run(
        data_dir, capsys, "factors", "AVUV", "--start", "2019-10-01", "--end", "2022-09-30", "--rolling", "24"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Fama/French 5-factor regression on monthly excess returns (fund − RF)"
    assert "to 2024-08-30, built from the 202408 CRSP database" in lines[1]
    row = lines[4].split()
    assert row[:5] == ["AVUV", "2019-09-30", "–", "2022-09-30", "36"] and row[7:12] == [
        "1.09",
        "0.82",
        "0.60",
        "0.14",
        "-0.09",
    ]
    assert "AVUV: Strong small-cap tilt, strong value tilt; market beta 1.09 (close to 1)." in out
    assert "rolling 24-month betas" in out and out.rstrip().splitlines()[-1].startswith("2022-09-30")
    assert sum(1 for line in lines if line[:4] in ("2021", "2022")) == 13  # 2021-09 … 2022-09


def test_factors_daily_rolling_json(data_dir, capsys):
    code, out, _ = run(
        data_dir,
        capsys,
        "factors",
        "DFAT",
        "--frequency",
        "daily",
        "--model",
        "ff3",
        "--rolling",
        "63",
        "--start",
        "2023-01-01",
        "--format",
        "json",
    )
    assert code == 0
    (item,) = json.loads(out)
    points = item["rolling"]["points"]
    assert item["rolling"]["window"] == 63 and len(points) == item["observations"] - 62
    assert points[-1]["date"] == "2024-08-30" and set(points[-1]) == {
        "date",
        "alpha",
        "mkt_rf",
        "smb",
        "hml",
        "r_squared",
    }


@pytest.mark.parametrize(
    "argv, code, words",
    [
        (["factors", "AVUV", "--model", "ff4"], 2, "--model 'ff4': choose one of capm, ff3, ff5"),
        (["factors", "AVUV", "--frequency", "weekly"], 2, "--frequency 'weekly'"),
        (
            ["factors", "AVUV", "--start", "2019-10-01", "--end", "2022-09-30", "--rolling", "40"],
            2,
            "--rolling 40 is longer",
        ),
        (["factors", "AVUV", "--rolling", "3"], 2, "--rolling 3"),
        (["factors", "AVUV", "--start", "2022-01-01", "--end", "2021-01-01"], 2, "not after"),
        (["factors", "AVUV", "--start", "2025-01-01"], 3, "after the factors' last date 2024-08-30"),
        (["factors", "AVUV", "--start", "2012-01-01", "--end", "2016-01-01"], 3, "first close 2019-09-26 is after"),
        (["factors", "NOPE"], 3, "no price data for NOPE"),
        (["factors", "bad ticker!"], 2, "bad ticker"),
    ],
)
def test_factors_bad_input(data_dir, capsys, argv, code, words):
    got, _, err = run(data_dir, capsys, *argv)
    assert got == code and words in err and len(err.strip().splitlines()) == 1


def test_factors_info(data_dir, capsys):
    code, out, _ = run(data_dir, capsys, "factors", "--format", "json")
    assert code == 0
    info = json.loads(out)
    assert [(i["frequency"], i["last"], i["database"]) for i in info] == [
        ("monthly", "2024-08-30", "202408"),
        ("daily", "2024-08-30", "202408"),
    ]


# ---------------------------------------------------------------------------- update (recorded answer)
def zipped(frequency) -> bytes:
    """The Data Library's zip, rebuilt around the shipped (real) CSV."""
    name = factor_files.FILE_NAMES[frequency]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, lzma.decompress(read_bytes(name + ".xz")))
    return buf.getvalue()


class Library:
    """Answers curl_cffi's Session.request as the Data Library does (or as a broken network does)."""

    def __init__(self, bodies=None, status=200, offline=False):
        self.bodies = bodies or {factor_url(f): zipped(f) for f in ZIP_NAMES}
        self.status, self.offline, self.calls = status, offline, []

    def install(self, monkeypatch):
        def request(session, method, url, *args, **kwargs):
            self.calls.append((method, url))
            if self.offline:
                raise curl_cffi.requests.exceptions.ConnectionError(
                    "Failed to perform, curl: (7) Couldn't connect to server.", 7
                )
            r = curl_cffi.requests.Response()
            r.url, r.status_code = url, self.status if url in self.bodies else 404
            r.content = self.bodies.get(url, b"<html>Not Found</html>") if r.status_code == 200 else b"<html>x</html>"
            r.ok = r.status_code == 200
            return r

        monkeypatch.setattr(curl_cffi.requests.Session, "request", request)
        return self


def test_update_downloads_checks_and_stores_the_files(data_dir, capsys, monkeypatch):
    library = Library().install(monkeypatch)
    code, out, err = run(data_dir, capsys, "factors", "update", offline=False)
    assert code == 0, err
    assert [c[1] for c in library.calls] == [
        "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/F-F_Research_Data_5_Factors_2x3_CSV.zip",
        "https://mba.tuck.dartmouth.edu/pages/faculty/ken.french/ftp/F-F_Research_Data_5_Factors_2x3_daily_CSV.zip",
    ]
    paths = resolve_paths(data_dir)
    for frequency in ("monthly", "daily"):
        name = factor_files.FILE_NAMES[frequency]
        stored = factor_files.user_factor_file(paths, frequency)
        assert stored.read_bytes() == lzma.decompress(read_bytes(name + ".xz"))  # exactly as published
    assert "monthly: factors to 2024-08-30 (CRSP 202408), same last date as the ones in use" in out
    assert not [p for p in paths.factors_dir.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_update_offline_exits_3_and_writes_nothing(data_dir, capsys, monkeypatch):
    Library(offline=True).install(monkeypatch)
    code, out, err = run(data_dir, capsys, "factors", "update", offline=False)
    assert code == 3 and out == ""
    assert err.strip() == (
        "rotation-desk: the Kenneth R. French Data Library could not be reached (offline?); factors unchanged"
    )
    assert not resolve_paths(data_dir).factors_dir.exists()
    code, _, err = run(data_dir, capsys, "factors", "update")
    assert code == 3 and "offline mode" in err


@pytest.mark.parametrize(
    "bodies, status, words",
    [
        (None, 503, "answered HTTP 503"),
        (
            {factor_url("monthly"): b"PK\x03\x04 not really", factor_url("daily"): zipped("daily")},
            200,
            "not a valid zip",
        ),
        ({factor_url("monthly"): zipped("daily"), factor_url("daily"): zipped("daily")}, 200, "not a YYYYMM date"),
        ({factor_url("monthly"): zipped("monthly")}, 200, "HTTP 404"),
    ],
)
def test_a_bad_download_changes_nothing(data_dir, capsys, monkeypatch, bodies, status, words):
    Library(bodies, status).install(monkeypatch)
    code, _, err = run(data_dir, capsys, "factors", "update", offline=False)
    assert code == 3 and words in err and "factors unchanged" in err
    assert not resolve_paths(data_dir).factors_dir.exists() or not any(resolve_paths(data_dir).factors_dir.iterdir())
    assert pd.Timestamp(json.loads(run(data_dir, capsys, "factors", "--format", "json")[1])[0]["last"]) == pd.Timestamp(
        "2024-08-30"
    )


def test_a_download_older_than_the_factors_in_use_is_refused(data_dir, capsys, monkeypatch):
    """The real monthly file with its last month taken out ends 2024-07: it would go back in time."""
    name = factor_files.FILE_NAMES["monthly"]
    text = lzma.decompress(read_bytes(name + ".xz")).decode("ascii")
    older = "\r\n".join(line for line in text.split("\r\n") if not line.startswith("202408,"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr(name, older)
    Library({factor_url("monthly"): buf.getvalue(), factor_url("daily"): zipped("daily")}).install(monkeypatch)
    code, _, err = run(data_dir, capsys, "factors", "update", offline=False)
    assert code == 3 and "ends 2024-07-31, before the factors in use (2024-08-30)" in err
    assert not resolve_paths(data_dir).factors_dir.exists()
