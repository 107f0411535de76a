"""Prints the version of each peer the interop tests use."""
from importlib.metadata import version
for name in ("pyarrow", "duckdb", "fastavro", "pypaimon"):
    print(name, version(name))
