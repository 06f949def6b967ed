"""Exporting from the window: Ctrl+E opens the dialog; it writes a PNG of the asked size that is not blank."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication

from rotation_desk.ui.charts.export_dialog import ExportDialog


def _dialog() -> ExportDialog:
    found = [w for w in QApplication.topLevelWidgets() if isinstance(w, ExportDialog) and w.isVisible()]
    assert found, "the export dialog did not open"
    return found[-1]


def _distinct_colours(image: QImage, step: int = 7) -> int:
    return len({image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)})


def test_ctrl_e_exports_png_of_asked_size(main_window, qtbot, tmp_path):
    main_window.current_tab().wait_idle()
    QApplication.processEvents()  # deliver a background result
    qtbot.keyClick(main_window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = _dialog()
    dialog.size_box.setCurrentIndex(dialog.size_box.count() - 1)  # Custom
    dialog.width_box.setValue(1234)
    dialog.height_box.setValue(567)
    dialog.hidpi_box.setChecked(False)
    dialog.path_edit.setText(str(tmp_path / "overview.png"))
    dialog._save()
    assert dialog.saved_path == tmp_path / "overview.png"
    image = QImage(str(tmp_path / "overview.png"))
    assert (image.width(), image.height()) == (1234, 567)
    assert _distinct_colours(image) > 20  # lines, text and grid: not a blank canvas
    assert main_window.settings.export.width == 1234  # remembered for next time


def test_hidpi_and_svg_from_dialog(main_window, qtbot, tmp_path):
    chart = main_window.current_tab().current_chart()
    chart.open_export_dialog("png")
    dialog = _dialog()
    dialog.size_box.setCurrentIndex(dialog.size_box.count() - 1)
    dialog.width_box.setValue(800)
    dialog.height_box.setValue(450)
    dialog.hidpi_box.setChecked(True)
    assert "1600 × 900" in dialog.pixels_label.text()
    dialog.path_edit.setText(str(tmp_path / "hi.png"))
    dialog._save()
    assert QImage(str(tmp_path / "hi.png")).width() == 1600
    chart.open_export_dialog("svg")
    dialog = _dialog()
    dialog.path_edit.setText(str(tmp_path / "c.svg"))
    dialog._save()
    assert "<svg" in (tmp_path / "c.svg").read_text()


def test_missing_folder_is_reported_in_the_dialog(main_window, qtbot, tmp_path):
    main_window.export_current_chart()
    dialog = _dialog()
    dialog.path_edit.setText(str(tmp_path / "no" / "such" / "x.png"))
    dialog._save()
    assert dialog.isVisible() and "does not exist" in dialog.error_label.text()
    dialog.reject()


def test_copy_to_clipboard(main_window, qtbot):
    chart = main_window.current_tab().current_chart()
    image = chart.copy_image(640, 360)
    clip = QGuiApplication.clipboard().image()
    assert not clip.isNull() and clip.width() == image.width()


def test_context_menu_offers_exports(main_window):
    chart = main_window.current_tab().current_chart()
    texts = [a.text() for a in chart.context_menu().actions()]
    assert {"Save as PNG…", "Save as SVG…", "Copy image"} <= set(texts)
