"""Reports (issue 17), read back by real readers: poppler's pdfinfo / pdftotext for the PDF, Python's
HTML parser for the HTML. The figures in the report's text equal ``metrics --common-window --format json``
written by the app's formatting rules."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from fault_helpers import assert_one_clean_line, fill, read_only, small_disk

from rotation_desk.cli.main import main
from rotation_desk.ui.kit import formats

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
FUNDS = ["VBR", "DFAT", "AVUV"]


def _run(data_dir, *args) -> int:
    return main(["--offline", "--data-dir", str(data_dir), *args])


def _pdf(path) -> tuple[dict, str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, v in fields.items()}, text


def _metrics(data_dir, capsys, tickers):
    capsys.readouterr()
    assert _run(data_dir, "metrics", *tickers, "--common-window", "--format", "json") == 0
    return json.loads(capsys.readouterr().out)


def test_compare_report_pdf_has_the_metrics_of_the_command_line(data_dir, tmp_path, capsys, qapp):
    out = tmp_path / "r.pdf"
    assert _run(data_dir, "report", "compare", "--tickers", ",".join(FUNDS), "--out", str(out), "--page", "a4") == 0
    info, text = _pdf(out)
    pages = int(info["Pages"])
    assert 3 <= pages <= 8 and "595 x 842" in info["Page size"]  # A4
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in text
    flat = " ".join(text.split())
    for row in _metrics(data_dir, capsys, [*FUNDS, "SPY"]):  # SPY: the benchmark the tab adds
        t = row["ticker"]
        key = re.search(
            rf"{t}: Total (\S+ %) · CAGR (\S+ %) · Volatility (\S+ %) · Sharpe (\S+) · Max DD (\S+ %)", flat
        )
        assert key is not None, t
        assert key.groups() == (
            formats.pct(row["total_return"]),
            formats.pct(row["cagr"]),
            formats.pct(row["volatility"], signed=False),
            formats.number(row["sharpe"]),
            formats.pct(row["max_drawdown"]),
        )
    assert "Rotation Desk report" in text and "Made on" in text and "prices through 2026-08-03" in text
    assert "Growth of $10,000" in text and "Correlation of daily returns" in text
    assert "Number conventions" in text and "Not investment advice" in text and "Source: Yahoo Finance" in text
    # the charts are vector: their axis labels are text in the PDF (a raster chart would have none)
    assert len(re.findall(r"\$1\dk", text)) >= 4 and re.search(r"2024\s+2025\s+2026", text)
    listed = subprocess.run(["pdfimages", "-list", str(out)], capture_output=True, text=True, check=True).stdout
    assert len(listed.splitlines()) == 2  # only pdfimages' header: no chart was pasted in as a picture


def test_report_all_pdf_and_letter(data_dir, tmp_path, capsys, qapp):
    out = tmp_path / "all.pdf"
    assert _run(data_dir, "report", "all", "--out", str(out), "--page", "letter") == 0
    info, text = _pdf(out)
    assert int(info["Pages"]) >= 8 and "612 x 792" in info["Page size"]
    for title in ("Market Overview", "ETF Comparison", "Sector Tilts", "DCA Planner"):
        assert title in text
    for caption in ("Rotation pairs", "Relative rotation graph", "Active return", "My plan"):
        assert caption in text, caption
    capsys.readouterr()


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: dict[str, int] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1

    def handle_data(self, data):
        self.text.append(data)


def test_html_report_parses_with_charts_tables_and_figures(data_dir, tmp_path, capsys, qapp):
    out = tmp_path / "r.html"
    assert _run(data_dir, "report", "compare", "--tickers", ",".join(FUNDS), "--out", str(out)) == 0
    reader = _Reader()
    reader.feed(out.read_text(encoding="utf-8"))
    text = " ".join(" ".join(reader.text).split())
    assert reader.tags["svg"] == 3 and reader.tags["table"] >= 1 and reader.tags["h1"] >= 3
    for row in _metrics(data_dir, capsys, FUNDS):
        assert f"{row['ticker']}: Total {formats.pct(row['total_return'])} · CAGR {formats.pct(row['cagr'])}" in text


def test_report_refuses_bad_input_and_writes_nothing_on_a_read_only_folder(data_dir, tmp_path, capsys, qapp):
    assert _run(data_dir, "report", "charts", "--out", str(tmp_path / "r.pdf")) == 2
    assert "unknown report tab" in assert_one_clean_line(capsys.readouterr().err)
    assert _run(data_dir, "report", "compare", "--out", str(tmp_path / "r.docx")) == 2
    assert ".pdf or .html" in assert_one_clean_line(capsys.readouterr().err)
    folder = tmp_path / "ro"
    folder.mkdir()
    with read_only(folder):
        code = _run(data_dir, "report", "dca", "--out", str(folder / "r.pdf"))
        err = assert_one_clean_line(capsys.readouterr().err)
        assert code == 4 and "r.pdf" in err and ("read-only" in err or "permission denied" in err)
        assert list(folder.iterdir()) == []


def test_report_on_a_full_disk_leaves_nothing(data_dir, capsys, qapp):
    with small_disk(1) as disk:
        fill(disk, leave_bytes=20_000)
        out = disk / "reports" / "all.pdf"
        code = _run(data_dir, "report", "all", "--out", str(out))
        err = assert_one_clean_line(capsys.readouterr().err)
        assert code == 4 and "all.pdf" in err and "full" in err
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]


def test_file_menu_exports_the_current_tab_and_says_so_on_a_read_only_folder(main_window, qtbot, tmp_path):
    from rotation_desk.ui.app import report_dialog

    assert main_window.report_action in main_window.menuBar().actions()[0].menu().actions()
    main_window.tabs.setCurrentIndex(1)  # ETF Comparison
    results = []
    out = tmp_path / "window.pdf"
    assert report_dialog.export_report(main_window, False, out, "a4", lambda text, error: results.append((text, error)))
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    assert results == [(str(out), False)]
    _info, text = _pdf(out)
    assert "ETF Comparison" in text and "Market Overview" not in text
    folder = tmp_path / "ro"
    folder.mkdir()
    with read_only(folder):
        results.clear()
        assert report_dialog.export_report(
            main_window, True, folder / "all.html", "a4", lambda t, e: results.append((t, e))
        )
        qtbot.waitUntil(lambda: bool(results), timeout=30000)
    ((message, error),) = results
    assert error and "\n" not in message and "all.html" in message and ("read-only" in message or "denied" in message)
    assert main_window.status.message_label.text() == message
    assert list(folder.iterdir()) == []


def test_the_window_keeps_answering_while_a_report_is_made_and_cancel_writes_nothing(main_window, qtbot, tmp_path):
    """The tabs compute on the pool while the event loop runs: a GUI-thread timer keeps ticking, the
    progress dialog names the step; Cancel stops it and leaves no file."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QProgressDialog

    from rotation_desk.ui.app import report_dialog

    main_window.tabs.setCurrentIndex(1)  # ETF Comparison
    ticks, labels = [], []
    timer = QTimer(main_window, interval=20)

    def tick():
        ticks.append(1)
        labels.extend(d.labelText() for d in main_window.findChildren(QProgressDialog) if d.isVisible())

    timer.timeout.connect(tick)
    timer.start()
    results = []
    out = tmp_path / "answering.pdf"
    assert report_dialog.export_report(main_window, False, out, "a4", lambda text, error: results.append((text, error)))
    timer.stop()
    qtbot.waitUntil(lambda: bool(results), timeout=20000)
    assert results == [(str(out), False)] and out.stat().st_size > 0
    assert len(ticks) >= 3  # the GUI thread ran its timer while the report was made
    assert any(t.startswith("Computing ETF Comparison: ") for t in labels)
    assert any(re.fullmatch(r"Painting page \d+ of \d+…", t) for t in labels)

    cancelled = tmp_path / "cancelled.pdf"

    def press_cancel():
        for d in main_window.findChildren(QProgressDialog):
            if d.isVisible():
                d.cancel()

    QTimer.singleShot(50, press_cancel)
    assert not report_dialog.export_report(main_window, True, cancelled, "a4")
    assert not cancelled.exists()
    assert main_window.status.message_label.text() == "Report cancelled; cancelled.pdf was not written."
