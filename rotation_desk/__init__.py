"""Rotation Desk: see whether the small-cap / value / international rotation is happening."""

# The one place the version is written: pyproject.toml reads it from here ([tool.setuptools.dynamic]), so the
# installed metadata says the same, and `rotation-desk --version` answers without importlib.metadata (which
# brings email, zipfile, csv and inspect: a third of that command's start-up).
__version__ = "0.1.0"

APP_NAME = "rotation-desk"
APP_TITLE = "Rotation Desk"
