"""Rotation Desk: see whether the small-cap / value / international rotation is happening."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("rotation-desk")
except _metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

APP_NAME = "rotation-desk"
APP_TITLE = "Rotation Desk"
