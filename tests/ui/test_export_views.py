"""Export view names and the batch export (issue 17): ``watchlist`` (``overview`` kept as its alias),
``--help`` listing every view, and ``export-chart all`` writing one file per view in one process."""

from __future__ import annotations

from fault_helpers import assert_one_clean_line
from PySide6.QtGui import QImage

from rotation_desk.cli.main import main
from rotation_desk.core.export_views import VIEWS, canonical_view


def _run(data_dir, *args) -> int:
    return main(["--offline", "--data-dir", str(data_dir), *args])


def test_help_lists_every_view_with_one_line(capsys):
    assert main(["export-chart", "--help"]) == 0
    out = capsys.readouterr().out
    assert VIEWS == ("watchlist", "ratios", "compare", "drawdown", "correlation", "rrg", "tilt", "dca")
    for view in VIEWS:
        line = next(line for line in out.splitlines() if line.strip().startswith(view + " "))
        assert len(line.split(None, 1)[1]) > 20  # a description, not just the name
    assert "overview     = watchlist" in out


def test_overview_is_the_watchlist_chart(data_dir, tmp_path, capsys, qapp):
    assert canonical_view("overview") == "watchlist"
    old, new = tmp_path / "overview.png", tmp_path / "watchlist.png"
    assert _run(data_dir, "export-chart", "overview", "--out", str(old), "--width", "800", "--height", "450") == 0
    assert _run(data_dir, "export-chart", "watchlist", "--out", str(new), "--width", "800", "--height", "450") == 0
    assert QImage(str(old)) == QImage(str(new))
    capsys.readouterr()


def test_all_writes_one_file_per_view_equal_to_the_single_export(data_dir, tmp_path, capsys, qapp):
    folder = tmp_path / "charts"
    size = ["--width", "800", "--height", "450"]
    assert _run(data_dir, "export-chart", "all", "--out-dir", str(folder), *size) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{v}.png" for v in VIEWS)
    for view in VIEWS:
        image = QImage(str(folder / f"{view}.png"))
        assert (image.width(), image.height()) == (800, 450), view
    single = tmp_path / "compare.png"
    assert _run(data_dir, "export-chart", "compare", "--out", str(single), *size) == 0
    assert QImage(str(single)) == QImage(str(folder / "compare.png"))
    err = capsys.readouterr().err
    assert err.count("wrote ") == len(VIEWS) + 1


def test_all_in_svg_with_tickers_for_the_ticker_views(data_dir, tmp_path, capsys, qapp):
    folder = tmp_path / "svg"
    code = _run(data_dir, "export-chart", "all", "--out-dir", str(folder), "--format", "svg", "--tickers", "VBR,IWM")
    assert code == 0
    assert len(list(folder.glob("*.svg"))) == len(VIEWS)
    assert "VBR" in (folder / "compare.svg").read_text() and "IWM" in (folder / "watchlist.svg").read_text()
    capsys.readouterr()


def test_all_with_an_empty_window_writes_nothing(data_dir, tmp_path, capsys, qapp):
    folder = tmp_path / "new" / "charts"
    code = _run(
        data_dir, "export-chart", "all", "--out-dir", str(folder), "--start", "2030-01-01", "--end", "2030-06-01"
    )
    assert code == 3
    assert_one_clean_line(capsys.readouterr().err)
    assert not (tmp_path / "new").exists()


def test_all_needs_out_dir_and_one_view_needs_out(data_dir, tmp_path, capsys):
    assert _run(data_dir, "export-chart", "all", "--out", str(tmp_path / "a.png")) == 2
    assert "--out-dir" in assert_one_clean_line(capsys.readouterr().err)
    assert _run(data_dir, "export-chart", "compare", "--out-dir", str(tmp_path)) == 2
    assert "--out FILE" in assert_one_clean_line(capsys.readouterr().err)
