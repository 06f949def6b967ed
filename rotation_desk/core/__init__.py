"""Pure analytics: pandas/numpy in, DataFrames or frozen dataclasses out. No Qt, no I/O."""
