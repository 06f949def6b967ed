"""The "Export chart" dialog: format, pixel size (with 2× for HiDPI), file name."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from rotation_desk.errors import RotationDeskError
from rotation_desk.ui.kit.widgets import ProblemLabel
from rotation_desk.ui.state.sections import EXPORT_SIDE

SIZES = [(1280, 720), (1600, 900), (1920, 1080), (2560, 1440), (1200, 1200)]
MIN_SIDE, MAX_SIDE = EXPORT_SIDE


def default_folder(folder: str) -> Path:
    if folder and Path(folder).is_dir():
        return Path(folder)
    pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    return Path(pictures) if pictures and Path(pictures).is_dir() else Path.home()


class ExportDialog(QDialog):
    def __init__(self, panel, fmt: str = "png"):
        super().__init__(panel)
        self.panel = panel
        self.prefs = panel.export_prefs()
        self.setWindowTitle("Export chart")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.saved_path: Path | None = None

        self.format_box = QComboBox()
        self.format_box.addItem("PNG image", "png")
        self.format_box.addItem("SVG vector drawing", "svg")
        self.format_box.setCurrentIndex(0 if fmt == "png" else 1)

        self.size_box = QComboBox()
        view = panel.view.size()
        self.size_box.addItem(f"As on screen ({view.width()} × {view.height()})", (view.width(), view.height()))
        for w, h in SIZES:
            self.size_box.addItem(f"{w} × {h}", (w, h))
        self.size_box.addItem("Custom", None)
        self.width_box = QSpinBox(minimum=MIN_SIDE, maximum=MAX_SIDE, suffix=" px", value=self.prefs.width)
        self.height_box = QSpinBox(minimum=MIN_SIDE, maximum=MAX_SIDE, suffix=" px", value=self.prefs.height)
        self.hidpi_box = QCheckBox("2× for HiDPI screens")
        self.hidpi_box.setChecked(self.prefs.hidpi)
        self.pixels_label = QLabel()
        self.pixels_label.setStyleSheet("color: palette(placeholder-text);")

        folder = default_folder(self.prefs.folder)
        self.path_edit = QLineEdit(str(folder / panel.default_file_name(self.fmt())))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        path_widget = QWidget()
        path_widget.setLayout(path_row)
        path_row.setContentsMargins(0, 0, 0, 0)

        size_row = QHBoxLayout()
        size_row.setContentsMargins(0, 0, 0, 0)
        size_row.addWidget(self.width_box)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_box)
        size_row.addStretch(1)
        size_widget = QWidget()
        size_widget.setLayout(size_row)

        form = QFormLayout()
        form.addRow("Format", self.format_box)
        form.addRow("Size", self.size_box)
        form.addRow("", size_widget)
        form.addRow("", self.hidpi_box)
        form.addRow("", self.pixels_label)
        form.addRow("File", path_widget)

        self.error_label = ProblemLabel(panel.theme.loss)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        copy = buttons.addButton("Copy to clipboard", QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self._copy)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

        self._select_size(self.prefs.width, self.prefs.height)
        self.size_box.currentIndexChanged.connect(self._size_chosen)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        for w in (self.width_box, self.height_box):
            w.valueChanged.connect(self._update_pixels)
        self.hidpi_box.toggled.connect(self._update_pixels)
        self._format_changed()

    # ------------------------------------------------------------------ helpers
    def fmt(self) -> str:
        return self.format_box.currentData() if hasattr(self, "format_box") else "png"

    def scale(self) -> float:
        return 2.0 if self.fmt() == "png" and self.hidpi_box.isChecked() else 1.0

    def _select_size(self, w: int, h: int) -> None:
        for i in range(self.size_box.count()):
            if self.size_box.itemData(i) == (w, h):
                self.size_box.setCurrentIndex(i)
                break
        else:
            self.size_box.setCurrentIndex(self.size_box.count() - 1)
        self.width_box.setValue(w)
        self.height_box.setValue(h)

    def _size_chosen(self) -> None:
        size = self.size_box.currentData()
        if size is not None:
            self.width_box.setValue(max(MIN_SIDE, size[0]))
            self.height_box.setValue(max(MIN_SIDE, size[1]))

    def _format_changed(self) -> None:
        self.hidpi_box.setEnabled(self.fmt() == "png")
        path = Path(self.path_edit.text())
        self.path_edit.setText(str(path.with_suffix("." + self.fmt())))
        self._update_pixels()

    def _update_pixels(self) -> None:
        w, h, s = self.width_box.value(), self.height_box.value(), self.scale()
        if self.fmt() == "svg":
            self.pixels_label.setText(f"Drawing size {w} × {h} (scales without loss)")
        else:
            self.pixels_label.setText(f"Image is {int(w * s)} × {int(h * s)} pixels")

    def _browse(self) -> None:
        filters = "PNG image (*.png)" if self.fmt() == "png" else "SVG drawing (*.svg)"
        name, _ = QFileDialog.getSaveFileName(self, "Export chart", self.path_edit.text(), filters)
        if name:
            self.path_edit.setText(name)

    def _remember(self, path: Path | None) -> None:
        self.prefs.width, self.prefs.height = self.width_box.value(), self.height_box.value()
        self.prefs.hidpi = self.hidpi_box.isChecked()
        if path is not None:
            self.prefs.folder = str(path.parent)

    # ------------------------------------------------------------------ actions
    def _save(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            self.error_label.say("Choose a file name.")
            return
        path = Path(text).expanduser()
        if path.suffix.lower() != "." + self.fmt():
            path = path.with_suffix("." + self.fmt())
        if not path.parent.is_dir():
            self.error_label.say(f"The folder {path.parent} does not exist.")
            return
        w, h = self.width_box.value(), self.height_box.value()
        try:
            if self.fmt() == "png":
                self.panel.export_png(path, w, h, self.scale())
            else:
                self.panel.export_svg(path, w, h)
        except RotationDeskError as exc:
            self.error_label.say(str(exc))
            return
        self._remember(path)
        self.saved_path = path
        self.panel.exported.emit(str(path))
        self.accept()

    def _copy(self) -> None:
        self.panel.copy_image(self.width_box.value(), self.height_box.value())
        self._remember(None)
        self.accept()
