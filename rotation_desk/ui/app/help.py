"""Help → F1: the user guide's section for the tab on screen, rendered from docs/user-guide.md.

The guide (``data.resources.read_guide``; installed with the package, bundled in the frozen app) has
one ``##`` section per tab, named as the tab is, with a ``###`` part per page, and sections for the
number conventions, the command line's exit codes and where the data lives. F1 opens the section of
the tab on screen, scrolled to the page on screen, followed by the number conventions; the box at
the top shows any other section.
"""

from __future__ import annotations

import logging
import re

from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout

from rotation_desk.data.resources import read_guide

log = logging.getLogger(__name__)

CONVENTIONS = "How the numbers are computed"
MISSING_GUIDE = (
    "## Help\n\nThe user guide (user-guide.md) is missing from this installation. It is in the "
    "repository's docs folder and at the project's home page."
)


def guide_sections(markdown: str) -> dict[str, str]:
    """The guide's ``##`` sections by title, in order (each with its heading)."""
    out: dict[str, str] = {}
    title, lines = None, []
    for line in markdown.splitlines():
        m = re.match(r"^## (?!#)(.+?)\s*$", line)
        if m:
            if title is not None:
                out[title] = "\n".join(lines).strip() + "\n"
            title, lines = m.group(1), [line]
        elif title is not None:
            lines.append(line)
    if title is not None:
        out[title] = "\n".join(lines).strip() + "\n"
    return out


def help_text(sections: dict[str, str], topic: str) -> str:
    """The section ``topic`` (the whole guide's first section if unknown), then the number conventions."""
    body = sections.get(topic) or next(iter(sections.values()), MISSING_GUIDE)
    if topic != CONVENTIONS and CONVENTIONS in sections:
        body += "\n\n" + sections[CONVENTIONS]
    return body


def load_sections() -> dict[str, str]:
    try:
        return guide_sections(read_guide()) or guide_sections(MISSING_GUIDE)
    except OSError as exc:
        log.warning("no user guide: %s", exc)
        return guide_sections(MISSING_GUIDE)


class HelpDialog(QDialog):
    """The guide's section for a topic (a tab's title), scrolled to a page."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Rotation Desk help")
        self.resize(760, 640)
        self.sections = load_sections()
        self.topic_box = QComboBox()
        self.topic_box.addItems(list(self.sections))
        self.topic_box.currentTextChanged.connect(self.show_topic)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        top = QHBoxLayout()
        top.addWidget(QLabel("Section"))
        top.addWidget(self.topic_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)

    def show_topic(self, topic: str, page: str | list[str] | None = None) -> None:
        """The topic's section, at the heading of ``page`` (or of the first of several that has one)."""
        if self.topic_box.currentText() != topic and topic in self.sections:
            self.topic_box.blockSignals(True)
            self.topic_box.setCurrentText(topic)
            self.topic_box.blockSignals(False)
        self.browser.setMarkdown(help_text(self.sections, topic))
        self.browser.moveCursor(QTextCursor.MoveOperation.Start)
        pages = [page] if isinstance(page, str) else list(page or [])
        heading = next((h for h in map(self.page_heading, pages) if h is not None), None)
        if heading is not None:
            self.browser.setTextCursor(heading)
            self.browser.ensureCursorVisible()

    def page_heading(self, page: str) -> QTextCursor | None:
        """The cursor on the page's heading (a heading that starts with the page's name), or None."""
        doc = self.browser.document()
        cursor = QTextCursor(doc)
        while True:
            cursor = doc.find(page, cursor, QTextDocument.FindFlag.FindCaseSensitively)
            if cursor.isNull():
                return None
            block = cursor.block()
            if block.blockFormat().headingLevel() > 0 and block.text().startswith(page):
                return cursor

    def shown_heading(self) -> str | None:
        """The heading the view is scrolled to (tests): the block at the top of the view."""
        cursor = self.browser.cursorForPosition(self.browser.viewport().rect().topLeft())
        block = cursor.block()
        while block.isValid() and block.blockFormat().headingLevel() == 0:
            block = block.previous()
        return block.text() if block.isValid() else None

    def topic(self) -> str:
        return self.topic_box.currentText()

    def text(self) -> str:
        return self.browser.toPlainText()
