"""Starting the app: --smoke with screenshots, export-chart headless, the crash handler."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from rotation_desk.cli.main import main
from rotation_desk.ui.app.start import CrashHandler


def test_smoke_visits_every_tab_and_saves_screenshots(data_dir, tmp_path):
    """Also with settings that name tickers the store does not have (they fall back, the app starts)."""
    from rotation_desk.data.paths import resolve_paths

    settings_file = resolve_paths(data_dir).ensure().settings_file
    settings_file.write_text(
        '{"benchmark": "ZZZZ", "watchlists": {"overview": ["ZZZZ"], "compare": ["QQQQ", "VBR"]}, "pairs": ["ZZZZ/SPY"]}'
    )
    shots = tmp_path / "shots"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "rotation_desk",
            "--offline",
            "--data-dir",
            str(data_dir),
            "--smoke",
            "--window-size",
            "1024x700",
            "--theme",
            "dark",
            "--screenshot-dir",
            str(shots),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in shots.glob("*.png"))
    tabs = [n for n in names if "-p" not in n]
    assert tabs == ["1-overview.png", "2-compare.png", "3-sectors.png", "4-dca.png"]
    pages = set(names) - set(tabs)  # every page of every tab, e.g. the Backtest page's ledger table
    for expected in (
        "1-overview-p1-3-rates-and-risk.png",
        "1-overview-p1-4-thesis-scorecard.png",
        "2-compare-p1-2-factors.png",
        "2-compare-p1-3-monthly-returns.png",
        "2-compare-p1-4-drawdowns.png",
        "2-compare-p2-6-correlation.png",
        "2-compare-p2-7-rolling-vs-benchmark.png",
        "3-sectors-p1-2-tilt-backtest.png",
        "3-sectors-p1-3-strategies.png",
        "3-sectors-p2-2-side-by-side.png",
        "4-dca-p1-3-projection.png",
        "4-dca-p1-4-holdings.png",
        "4-dca-p2-2-value-vs-plan.png",  # the Holdings page's own pages come before the Backtest's tables
        "4-dca-p2-5-buys.png",
        "4-dca-p3-3-ledger.png",
    ):
        assert expected in pages, sorted(pages)
    for p in shots.glob("*.png"):
        image = QImage(str(p))
        assert (image.width(), image.height()) == (1024, 700), p.name
    corner = QImage(str(shots / "1-overview.png")).pixelColor(1012, 690)  # the status bar, in the dark theme
    assert corner.lightnessF() < 0.3, corner.name()
    assert "Traceback" not in proc.stderr
    assert settings_file.read_text().startswith('{"benchmark": "ZZZZ"')  # a smoke run saves nothing


@pytest.mark.parametrize("size", ["1024", "100x100", "1024x700x3", "wide"])
def test_a_bad_window_size_is_refused(size, capsys):
    assert main(["--smoke", "--window-size", size]) == 2
    assert "window size" in capsys.readouterr().err


@pytest.mark.parametrize("view", ["overview", "compare", "drawdown", "dca"])
def test_export_chart_png(view, data_dir, tmp_path, qapp):
    out = tmp_path / f"{view}.png"
    code = main(
        [
            "--offline",
            "--data-dir",
            str(data_dir),
            "export-chart",
            view,
            "--out",
            str(out),
            "--width",
            "1000",
            "--height",
            "600",
        ]
    )
    assert code == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 600)


def test_export_chart_svg_has_title_range_and_source(data_dir, tmp_path, qapp):
    out = tmp_path / "c.svg"
    code = main(
        [
            "--offline",
            "--data-dir",
            str(data_dir),
            "export-chart",
            "compare",
            "--tickers",
            "VBR,AVUV",
            "--start",
            "2020-01-01",
            "--end",
            "2024-12-31",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    text = out.read_text()
    assert "Growth of $10,000" in text
    assert "2024-12-31" in text and "Yahoo Finance" in text


def test_export_chart_hidpi_doubles_pixels(data_dir, tmp_path, qapp):
    out = tmp_path / "c.png"
    assert (
        main(
            [
                "--offline",
                "--data-dir",
                str(data_dir),
                "export-chart",
                "overview",
                "--out",
                str(out),
                "--width",
                "800",
                "--height",
                "450",
                "--scale",
                "2",
            ]
        )
        == 0
    )
    assert QImage(str(out)).width() == 1600


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["export-chart", "nosuch", "--out", "x.png"], 2, "unknown chart view"),
        (["export-chart", "overview", "--out", "x.jpg"], 2, ".png or .svg"),
        (["export-chart", "overview", "--out", "x.png", "--width", "50"], 2, "between 200 and 8000"),
        (["export-chart", "overview", "--out", "x.png", "--tickers", "ZZZZ"], 2, "no cached prices for ZZZZ"),
        (
            ["export-chart", "overview", "--out", "x.png", "--start", "2030-01-01", "--end", "2030-06-01"],
            3,
            "No prices",
        ),
    ],
)
def test_export_chart_bad_input(args, code, words, data_dir, tmp_path, capsys, qapp, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["--offline", "--data-dir", str(data_dir)] + args) == code
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not (tmp_path / "x.png").exists()


def test_crash_handler_logs_traceback_and_keeps_short_message(tmp_path, caplog):
    handler = CrashHandler(tmp_path / "log.txt", interactive=False)
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        handler(*sys.exc_info())
    assert handler.errors == ["ZeroDivisionError: division by zero"]
    assert "Traceback" in caplog.text and "ZeroDivisionError" in caplog.text


def test_crash_dialog_names_the_log_file(tmp_path, qtbot):
    from PySide6.QtWidgets import QApplication, QMessageBox

    handler = CrashHandler(tmp_path / "rotation-desk.log", interactive=True)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        handler(*sys.exc_info())
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes, "no dialog shown"
    box = boxes[-1]
    assert "boom" in box.text() and "rotation-desk.log" in box.informativeText()
    box.close()
