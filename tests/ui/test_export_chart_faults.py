"""``export-chart`` writes whole or not at all (issue 12): a full disk or a failed render leaves
no file, no temporary and no new folder; an existing file is kept."""

from __future__ import annotations

import errno

from fault_helpers import assert_one_clean_line
from PySide6.QtGui import QImage

from rotation_desk.cli.main import main
from rotation_desk.data import atomic


def test_full_disk_at_fsync_leaves_nothing(data_dir, tmp_path, capsys, qapp, monkeypatch):
    def no_room(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", no_room)
    charts = tmp_path / "charts"
    charts.mkdir()
    for name in ("new/c.png", "new/c.svg"):
        out = charts / name
        code = main(["--offline", "--data-dir", str(data_dir), "export-chart", "compare", "--out", str(out)])
        err = capsys.readouterr().err
        assert code == 4 and f"{out}: cannot write the chart: the disk is full" in assert_one_clean_line(err)
    assert list(charts.iterdir()) == []


def test_a_failed_export_keeps_the_previous_chart(data_dir, tmp_path, capsys, qapp):
    out = tmp_path / "c.png"
    args = ["--offline", "--data-dir", str(data_dir), "export-chart", "compare", "--out", str(out)]
    assert main(args + ["--width", "800", "--height", "450"]) == 0
    first = out.read_bytes()
    code = main(args + ["--start", "2030-01-01", "--end", "2030-06-01"])  # no prices: exit 3
    assert code == 3 and out.read_bytes() == first
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".c.png")) == []
    assert QImage(str(out)).width() == 800
    capsys.readouterr()


def test_out_naming_a_folder_is_bad_input(data_dir, tmp_path, capsys, qapp):
    folder = tmp_path / "x.png"
    folder.mkdir()
    code = main(["--offline", "--data-dir", str(data_dir), "export-chart", "compare", "--out", str(folder)])
    assert code == 2 and "is a folder" in assert_one_clean_line(capsys.readouterr().err)
