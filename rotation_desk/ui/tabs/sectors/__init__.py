"""Sector Tilts: the relative rotation graph and the tilt backtest."""
