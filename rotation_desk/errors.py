"""Errors a user can cause, each with the exit code the command line returns for it.

DESIGN.md: 0 ok · 2 bad input · 3 data unavailable · 1 unexpected.
"""


class RotationDeskError(Exception):
    """Base for errors whose message is meant for the user (no traceback)."""

    exit_code = 1


class BadInput(RotationDeskError):
    """The user gave something malformed: a date, a CSV, a plan, weights."""

    exit_code = 2


class DataUnavailable(RotationDeskError):
    """The data asked for is not there: unknown ticker, no rows in the window, offline."""

    exit_code = 3


class Cancelled(Exception):
    """A computation noticed that a newer request replaced it and stopped (not an error)."""
