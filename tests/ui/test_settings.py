"""Settings file: round trip, validation, corrupt file reset with a notice and a backup."""

from __future__ import annotations

import json

from rotation_desk.ui.state.settings import Settings, load_settings, save_settings


def test_round_trip(tmp_path):
    path = tmp_path / "config" / "settings.json"
    s = Settings(theme="dark", default_range="1Y", benchmark="IWM", last_tab=2)
    s.watchlists["compare"] = ["VBR", "AVUV"]
    s.chart_prefs("overview.performance")["log"] = True
    save_settings(path, s)
    back, notice = load_settings(path)
    assert notice is None
    assert (back.theme, back.default_range, back.benchmark, back.last_tab) == ("dark", "1Y", "IWM", 2)
    assert back.watchlist("compare") == ["VBR", "AVUV"]
    assert back.chart_prefs("overview.performance")["log"] is True


def test_missing_file_gives_defaults(tmp_path):
    s, notice = load_settings(tmp_path / "nope.json")
    assert notice is None and s.theme == "system" and s.benchmark == "SPY"


def test_corrupt_file_is_kept_as_backup_and_reset_with_notice(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    s, notice = load_settings(path)
    assert s == Settings()
    backups = list(tmp_path.glob("settings.json.corrupt-*"))
    assert len(backups) == 1 and backups[0].read_text() == "{not json"
    assert "could not be read" in notice and backups[0].name in notice
    assert not path.exists()


def test_invalid_value_names_the_field(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "purple"}), encoding="utf-8")
    s, notice = load_settings(path)
    assert "theme" in notice and "purple" in notice
    assert s.theme == "system"


def test_bad_ticker_in_watchlist_is_refused(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"watchlists": {"compare": ["VBR", "=cmd()"]}}), encoding="utf-8")
    _s, notice = load_settings(path)
    assert "watchlists.compare" in notice


def test_comparison_inputs_round_trip_and_are_validated(tmp_path):
    path = tmp_path / "settings.json"
    s = Settings()
    assert s.compare == {"window_mode": "common", "rolling": "1Y", "fee_amount": 10_000.0}
    s.compare.update(window_mode="full", rolling="3Y", fee_amount=25_000.0)
    save_settings(path, s)
    back, notice = load_settings(path)
    assert notice is None and back.compare == {"window_mode": "full", "rolling": "3Y", "fee_amount": 25_000.0}
    path.write_text(json.dumps({"compare": {"window_mode": "sideways"}}), encoding="utf-8")
    _s, notice = load_settings(path)
    assert "compare.window_mode" in notice
