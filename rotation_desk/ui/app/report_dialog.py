"""File → Export report…: the current tab or all tabs as a PDF or HTML report (``ui.app.report``).

The tabs' content is gathered and painted on the GUI thread (Qt widgets and scene painting belong
there) from a render session that uses the window's settings and range, never the window's own tabs
(their state stays as the user left it). The window does not freeze meanwhile: each tab's numbers are
computed on the worker pool, and while they are the event loop keeps running (``ReportProgress.pump``),
behind a progress dialog that names the view being computed or the page being painted and can cancel
(nothing is written then). The finished bytes are written on the worker pool, whole or not at all
(``data.atomic``). A failure is one sentence in the status bar and in a message box.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, QTimer
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
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QWidget,
)

from rotation_desk.core.export_views import VIEW_LINES
from rotation_desk.data.atomic import parent_folders, write_bytes
from rotation_desk.errors import RotationDeskError, environment_problem
from rotation_desk.ui.app.report import default_page, report_steps

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


class ReportCancelled(Exception):
    """The user pressed Cancel in the progress dialog."""


class ReportProgress:
    """The window-modal progress of one report: a step per view computed, then one per page painted.
    ``pump`` runs the event loop a moment (the window repaints, Cancel answers) and raises
    ``ReportCancelled`` once Cancel was pressed."""

    PUMP_MS = 15

    def __init__(self, window, steps: list[tuple[str, str]]):
        self.dialog = QProgressDialog("Making the report…", "Cancel", 0, len(steps) + 1, window)
        self.dialog.setWindowTitle("Export report")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(420)
        self.dialog.setValue(0)
        self.steps = len(steps)
        self.pumps = 0  # event-loop turns while the report was made (tests read it)

    def pump(self) -> None:
        loop = QEventLoop()
        QTimer.singleShot(self.PUMP_MS, loop.quit)
        loop.exec()
        self.pumps += 1
        if self.dialog.wasCanceled():
            raise ReportCancelled

    def view(self, step: int, title: str, view: str) -> None:
        self.dialog.setValue(step)
        self.dialog.setLabelText(f"Computing {title}: {VIEW_LINES[view].split(' (')[0]}…")
        self.pump()

    def page(self, n: int, total: int) -> None:
        self.dialog.setValue(self.steps)
        self.dialog.setLabelText(f"Painting page {n} of {total}…")
        self.pump()

    def close(self) -> None:
        self.dialog.close()
        self.dialog.deleteLater()


def build_report_bytes(window, tab_keys: list[str], kind: str, page: str, progress: ReportProgress | None = None):
    """The report on the window's settings and range (``progress``: keep the window answering)."""
    from rotation_desk.ui.app.render import ExportRequest, RenderSession
    from rotation_desk.ui.app.report import collect, report_pdf
    from rotation_desk.ui.app.report_html import report_html

    rng = window.current_tab().current_range()
    base = ExportRequest(view="compare", out=Path("report.png"), start=rng.start, end=rng.end)
    pump = progress.pump if progress is not None else None
    session = RenderSession(window.market, window.paths.settings_file, base, strict=False, pump=pump)
    session.settings = type(window.settings).from_json(window.settings.to_json())  # a copy: never written back
    with session:
        content = collect(session, tab_keys, progress.view if progress is not None else None)
        if kind != ".pdf":
            return report_html(content, page)
        return report_pdf(content, page, progress.page if progress is not None else None)


def export_report(window, all_tabs: bool, path: Path, page: str, done=None) -> bool:
    """Build the report now and write it on the pool; ``done(message, error)`` when the file is written
    or failed. False (with the sentence shown) when it cannot even be built."""
    kind = path.suffix.lower()
    if kind not in (".pdf", ".html"):
        window.status.show_message(f"{path.name}: a report file name ends in .pdf or .html.", error=True)
        return False
    keys = ["all"] if all_tabs else [window.current_tab().key]
    progress = ReportProgress(window, report_steps(keys))
    try:
        data = build_report_bytes(window, keys, kind, page, progress)
    except ReportCancelled:
        window.status.show_message(f"Report cancelled; {path.name} was not written.")
        return False
    except RotationDeskError as exc:
        window.status.show_message(f"The report was not made: {exc}", error=True)
        return False
    finally:
        progress.close()

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
