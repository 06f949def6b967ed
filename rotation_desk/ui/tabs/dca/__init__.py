"""DCA Planner: plan editor and library, schedule, backtest, projection."""
