"""The desktop app (PySide6 + pyqtgraph). Nothing outside ``rotation_desk.ui`` imports Qt."""
