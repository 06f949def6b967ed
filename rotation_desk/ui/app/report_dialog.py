"""File → Export report…: the current tab or all tabs as a PDF or HTML report (``ui.app.report``).

The tabs' content is gathered and painted on the GUI thread (Qt painting belongs there) from a render
session that uses the window's settings and range, never the window's own tabs (their state stays as
the user left it); the finished bytes are written on the worker pool, whole or not at all
(``data.atomic``). A failure is one sentence in the status bar and in a message box.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QWidget,
)

from rotation_desk.data.atomic import parent_folders, write_bytes
from rotation_desk.errors import RotationDeskError, environment_problem
from rotation_desk.ui.app.report import default_page

log = logging.getLogger(__name__)


class ReportDialog(QDialog):
    """What to report (current tab or all), where (a .pdf or .html path) and on which paper."""

    def __init__(self, tab_title: str, default_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Export report")
        self.current = QRadioButton(f"Current tab ({tab_title})")
        self.all_tabs = QRadioButton("All tabs")
        self.current.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.current)
        group.addButton(self.all_tabs)
        which = QHBoxLayout()
        which.addWidget(self.current)
        which.addWidget(self.all_tabs)
        self.path_edit = QLineEdit(str(default_path))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(browse)
        self.page_box = QComboBox()
        self.page_box.addItem("A4", "a4")
        self.page_box.addItem("Letter", "letter")
        self.page_box.setCurrentIndex(1 if default_page() == "letter" else 0)
        form = QFormLayout(self)
        form.addRow("Report", which)
        form.addRow("File (.pdf or .html)", where)
        form.addRow("Paper", self.page_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export report", self.path_edit.text(), "PDF (*.pdf);;HTML (*.html)"
        )
        if name:
            self.path_edit.setText(name)

    def choice(self) -> tuple[bool, Path, str]:
        """(all tabs, the path, the paper)."""
        return self.all_tabs.isChecked(), Path(self.path_edit.text().strip()), self.page_box.currentData()


def build_report_bytes(window, tab_keys: list[str], kind: str, page: str) -> bytes:
    """The report on the window's settings and range, painted on the GUI thread."""
    from rotation_desk.ui.app.render import ExportRequest, RenderSession
    from rotation_desk.ui.app.report import collect, report_pdf
    from rotation_desk.ui.app.report_html import report_html

    rng = window.current_tab().current_range()
    base = ExportRequest(view="compare", out=Path("report.png"), start=rng.start, end=rng.end)
    session = RenderSession(window.market, window.paths.settings_file, base, strict=False)
    session.settings = type(window.settings).from_json(window.settings.to_json())  # a copy: never written back
    with session:
        content = collect(session, tab_keys)
        return report_pdf(content, page) if kind == ".pdf" else report_html(content, page)


def export_report(window, all_tabs: bool, path: Path, page: str, done=None) -> bool:
    """Build the report now and write it on the pool; ``done(message, error)`` when the file is written
    or failed. False (with the sentence shown) when it cannot even be built."""
    kind = path.suffix.lower()
    if kind not in (".pdf", ".html"):
        window.status.show_message(f"{path.name}: a report file name ends in .pdf or .html.", error=True)
        return False
    keys = ["all"] if all_tabs else [window.current_tab().key]
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        data = build_report_bytes(window, keys, kind, page)
    except RotationDeskError as exc:
        window.status.show_message(f"The report was not made: {exc}", error=True)
        return False
    finally:
        QGuiApplication.restoreOverrideCursor()

    def write(_task) -> Path:
        try:
            with parent_folders(path):
                return write_bytes(path, data)
        except OSError as exc:
            raise environment_problem(exc, path, "write the report") from None

    def ok(_result) -> None:
        window.status.show_message(f"Report saved: {path}")
        if done is not None:
            done(str(path), False)

    def failed(message: str) -> None:
        window.status.show_message(message, error=True)
        if done is not None:
            done(message, True)
        else:
            QMessageBox.warning(window, "Export report", message)

    window.runner.start(write, "write report", ok, failed)
    return True
