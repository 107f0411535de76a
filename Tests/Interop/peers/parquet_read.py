"""Reads Parquet files with a peer engine and writes each file's rows as JSON Lines (the encoding of value_json.py,
shared with Weir's ValueJSON) to OUT_DIR/<file name>.<engine>.jsonl.

usage: parquet_read.py ENGINES OUT_DIR PRECISIONS_JSON FILE...

ENGINES is "pyarrow", "duckdb" or both comma-separated.

PRECISIONS_JSON maps top-level column names to their Paimon TIMESTAMP precision ("{}" when unknown). DuckDB's Arrow
output is cast to the Arrow schema pyarrow reads from the same file (DuckDB reads INT96 and nanosecond timestamps as
microseconds, and names map entries differently), so both engines' values are printed the same way; values are not
changed by that cast beyond the unit."""
import json
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq

import value_json


def _without_time32(t):
    """value_json casts TIME arrays to int64, which Arrow refuses for time32; time64 holds the same values."""
    if pa.types.is_time32(t):
        return pa.time64("us")
    if pa.types.is_list(t):
        return pa.list_(t.value_field.with_type(_without_time32(t.value_type)))
    if pa.types.is_large_list(t):
        return pa.large_list(t.value_field.with_type(_without_time32(t.value_type)))
    if pa.types.is_map(t):
        return pa.map_(t.key_field.with_type(_without_time32(t.key_type)), t.item_field.with_type(_without_time32(t.item_type)))
    if pa.types.is_struct(t):
        return pa.struct([t.field(i).with_type(_without_time32(t.field(i).type)) for i in range(t.num_fields)])
    return t


def _all_nullable(t):
    """The same type with every nested field nullable (DuckDB's Arrow output marks all fields nullable)."""
    if pa.types.is_list(t):
        return pa.list_(t.value_field.with_type(_all_nullable(t.value_type)).with_nullable(True))
    if pa.types.is_large_list(t):
        return pa.large_list(t.value_field.with_type(_all_nullable(t.value_type)).with_nullable(True))
    if pa.types.is_map(t):
        return pa.map_(t.key_field.with_type(_all_nullable(t.key_type)),
                       t.item_field.with_type(_all_nullable(t.item_type)).with_nullable(True))
    if pa.types.is_struct(t):
        return pa.struct([t.field(i).with_type(_all_nullable(t.field(i).type)).with_nullable(True) for i in range(t.num_fields)])
    return t


def normalized(table):
    schema = pa.schema([f.with_type(_without_time32(f.type)) for f in table.schema])
    return table.cast(schema)


def read_pyarrow(path):
    return pq.ParquetFile(path).read()


def read_duckdb(path):
    import duckdb
    con = duckdb.connect()
    table = con.sql("SELECT * FROM read_parquet('%s', hive_partitioning = false)" % path.replace("'", "''")).to_arrow_table()
    target = pq.read_schema(path)
    # Keep pyarrow's types (same columns, same order), dropping the file's key-value metadata.
    target = pa.schema([target.field(i).with_type(_all_nullable(target.field(i).type)).with_nullable(True)
                        for i in range(len(target))])
    return table.cast(target)


def main():
    engines, out_dir, precisions = sys.argv[1].split(","), sys.argv[2], json.loads(sys.argv[3])
    for engine in engines:
        read = {"pyarrow": read_pyarrow, "duckdb": read_duckdb}[engine]
        for path in sys.argv[4:]:
            table = normalized(read(path))
            name = os.path.join(out_dir, os.path.basename(path) + "." + engine + ".jsonl")
            with open(name, "w", encoding="utf-8") as out:
                value_json.dump_jsonl(value_json.table_rows(table, precisions), out)


if __name__ == "__main__":
    main()
