"""One folder per tab (``tab.py`` wires its pages; ``compute.py`` is Qt-free) and ``base``, what every tab shares.

No tab imports another tab (an import-linter contract checks it); the main window
lists them in ``rotation_desk.ui.app.tab_host.TAB_CLASSES``.
"""
