"""Settings file: typed sections, round trip, files of version 1, one bad entry falls back alone,
an unreadable file is kept as a backup and reset with a notice."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

from rotation_desk.ui.state.sections import CompareSettings, DcaSettings, SectorsSettings
from rotation_desk.ui.state.settings import Settings, load_settings, save_settings

V1_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "settings-v1.json"  # written by version 0.1.0


def test_round_trip(tmp_path):
    path = tmp_path / "config" / "settings.json"
    s = Settings(theme="dark", default_range="1Y", benchmark="IWM", last_tab=2)
    s.compare.tickers = ["VBR", "AVUV"]
    s.chart_prefs("overview.performance").log = True
    assert save_settings(path, s)
    back, notice = load_settings(path)
    assert notice is None
    assert back == s
    assert (back.theme, back.default_range, back.benchmark, back.last_tab) == ("dark", "1Y", "IWM", 2)
    assert back.compare.tickers == ["VBR", "AVUV"]
    assert back.chart_prefs("overview.performance").log is True
    assert json.loads(path.read_text())["version"] == 2


def test_files_written_by_version_1_load_into_the_sections(tmp_path):
    path = tmp_path / "settings.json"
    shutil.copy(V1_FILE, path)
    s, notice = load_settings(path)
    assert notice is None
    assert (s.theme, s.default_range, s.benchmark, s.last_tab) == ("dark", "3Y", "IWM", 3)
    assert s.overview.watchlist == ["SPY", "IWM", "VBR", "DFAT"]
    assert s.overview.pairs == ["IWM/SPY", "IWD/IWF", "AVUV/SPY"]
    assert asdict(s.compare) == {  # what version 1 saved; the later choices keep their defaults
        **asdict(CompareSettings()),
        "tickers": ["VBR", "AVUV", "DFSV"],
        "window_mode": "full",
        "rolling": "3Y",
        "fee_amount": 25_000.0,
    }
    assert asdict(s.sectors) == {
        **asdict(SectorsSettings()),
        "tickers": ["XLK", "XLF", "XLI", "ITA"],
        "frequency": "daily",
        "tail": 12,
        "weights": {"SPY": 80.0, "XLI": 20.0},
        "rebalance": "quarterly",
    }
    assert asdict(s.dca) == {
        "contribution": 750.0,
        "allocation": {"VBR": 50.0, "AVUV": 50.0},
        "last_plan": "rotation-core.json",
        "target": 250_000.0,
        "buy_mappings": {},  # added later: a version-1 file has none
        "proxies": {},  # added later (Extend history): none
    }
    assert s.chart_prefs("compare.growth").hidden == ["EEMV"] and s.chart_prefs("overview.performance").log
    assert (s.export.width, s.export.height, s.export.hidpi, s.export.folder) == (
        1920,
        1080,
        True,
        "/home/user/Pictures",
    )
    # saved again in the new layout, it reads back the same
    save_settings(path, s)
    again, notice = load_settings(path)
    assert notice is None and again == s


def test_missing_file_gives_defaults(tmp_path):
    s, notice = load_settings(tmp_path / "nope.json")
    assert notice is None and s.theme == "system" and s.benchmark == "SPY"
    assert s.compare == CompareSettings() and s.sectors == SectorsSettings() and s.dca == DcaSettings()


def test_defaults_are_not_shared_between_instances():
    a, b = Settings(), Settings()
    a.compare.tickers.append("IWM")
    a.sectors.weights["XLU"] = 5.0
    assert "IWM" not in b.compare.tickers and "XLU" not in b.sectors.weights


def test_corrupt_file_is_kept_as_backup_and_reset_with_notice(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    s, notice = load_settings(path)
    assert s == Settings()
    backups = list(tmp_path.glob("settings.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text() == "{not json"
    assert "could not be read" in notice and backups[0].name in notice
    assert not path.exists()


def test_deeply_nested_file_is_reset_not_a_crash(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    s, notice = load_settings(path)
    assert s == Settings() and "nested too deeply" in notice


def test_one_invalid_value_falls_back_alone_and_is_named(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "purple", "benchmark": "IWM", "compare": {"rolling": 5, "fee_amount": 500}}))
    s, notice = load_settings(path)
    assert "theme: 'purple' is not one of system, light, dark; the default is used" in notice
    assert "compare.rolling" in notice
    assert s.theme == "system" and s.benchmark == "IWM"  # the good entries are kept
    assert s.compare.rolling == "1Y" and s.compare.fee_amount == 500.0
    assert path.exists()  # the file is not moved aside for one entry


def test_wrong_types_fall_back_per_entry(tmp_path):
    path = tmp_path / "settings.json"
    data = {
        "version": 2,
        "last_tab": "two",
        "export": {"width": True, "height": 700},
        "charts": {"compare.growth": {"log": "yes", "hidden": ["VBR"]}},
        "sectors": {"tail": 2.5, "weights": {"SPY": 60, "XLI": 10}},
        "dca": {"allocation": [1, 2], "contribution": 1e300},
        "overview": "all of them",
    }
    path.write_text(json.dumps(data))
    s, notice = load_settings(path)
    assert s.last_tab == 0 and s.export.width == 1600 and s.export.height == 700
    assert s.chart_prefs("compare.growth").log is False and s.chart_prefs("compare.growth").hidden == ["VBR"]
    assert s.sectors.tail == 8 and s.sectors.weights == SectorsSettings().weights
    assert s.dca == DcaSettings() and s.overview.watchlist == Settings().overview.watchlist
    for name in (
        "last_tab",
        "export.width",
        "charts.compare.growth.log",
        "sectors.tail",
        "sectors.weights",
        "dca.allocation",
        "dca.contribution",
        "overview",
    ):
        assert name in notice


def test_bad_ticker_in_a_list_is_refused(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"watchlists": {"compare": ["VBR", "=cmd()"]}}), encoding="utf-8")
    s, notice = load_settings(path)
    assert "compare.tickers" in notice and s.compare.tickers == CompareSettings().tickers


def test_unknown_tickers_fall_back_with_a_notice():
    s = Settings.from_json({"benchmark": "ZZZZ", "watchlists": {"overview": ["ZZZZ"], "compare": ["VBR", "QQQQ"]}})
    known = {"SPY", "VBR", "DFAT", "AVUV", "EEMV", "IWM", "QQQ"}
    notices = s.check_tickers(known)
    assert s.benchmark == "SPY"
    assert s.compare.tickers == ["VBR"]
    assert s.overview.watchlist == ["SPY", "QQQ", "IWM", "VBR", "DFAT", "AVUV", "EEMV"]  # the cached defaults
    assert any(n.startswith("benchmark: no cached prices for ZZZZ") for n in notices)
    assert any("compare.tickers: no cached prices for QQQQ" in n for n in notices)


def test_comparison_inputs_round_trip_and_are_validated(tmp_path):
    path = tmp_path / "settings.json"
    s = Settings()
    assert (s.compare.window_mode, s.compare.rolling, s.compare.fee_amount) == ("common", "1Y", 10_000.0)
    s.compare.window_mode, s.compare.rolling, s.compare.fee_amount = ("full", "3Y", 25_000.0)
    save_settings(path, s)
    back, notice = load_settings(path)
    assert notice is None and back.compare == s.compare
    path.write_text(json.dumps({"compare": {"window_mode": "sideways"}}), encoding="utf-8")
    _s, notice = load_settings(path)
    assert "compare.window_mode" in notice


def test_a_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    import errno
    import os

    path = tmp_path / "settings.json"
    save_settings(path, Settings(theme="dark"))

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    assert save_settings(path, Settings(theme="light")) is False
    assert json.loads(path.read_text())["theme"] == "dark"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]  # no temporary file left
    monkeypatch.undo()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    assert save_settings(blocker / "settings.json", Settings()) is False


def test_buy_column_mappings_are_checked_and_a_bad_one_falls_back_alone():
    from rotation_desk.ui.state.fields import load_section
    from rotation_desk.ui.state.sections import DcaSettings

    notices: list[str] = []
    good = {"0123456789abcdef": {"date": "Trade Date", "ticker": "Symbol"}}
    section = load_section(DcaSettings, {"buy_mappings": good, "contribution": 600.0}, "dca", notices)
    assert section.buy_mappings == good and notices == []
    section = load_section(DcaSettings, {"buy_mappings": {"x": {"colour": "Symbol"}}, "contribution": 600.0},
                           "dca", notices)  # fmt: skip
    assert section.buy_mappings == {} and section.contribution == 600.0
    assert notices == ["dca.buy_mappings: 'x' is not a column mapping; the default is used"]
