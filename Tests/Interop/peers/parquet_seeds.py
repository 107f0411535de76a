"""Writes the small pyarrow-made seed files of Fuzz/corpus/parquet (and of the mutated-file test): data page v2, DELTA
encodings, BYTE_STREAM_SPLIT, INT96 with Hadoop-framed LZ4, nested types with gzip, dictionary pages.

usage: parquet_seeds.py OUT_DIR"""
import decimal
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq


def table(n=24):
    return pa.table({
        "id": pa.array(range(n), pa.int64()),
        "i32": pa.array([None if i % 5 == 0 else i * 37 - 400 for i in range(n)], pa.int32()),
        "f": pa.array([i / 3 for i in range(n)], pa.float64()),
        "s": pa.array([None if i % 7 == 0 else "v%d" % (i % 4) for i in range(n)], pa.string()),
        "d": pa.array([decimal.Decimal(i * 13 - 100).scaleb(-2) for i in range(n)], pa.decimal128(12, 2)),
        "ts": pa.array([i * 1_000_000_007 for i in range(n)], pa.timestamp("ns")),
        "tags": pa.array([[j for j in range(i % 3)] if i % 4 else None for i in range(n)], pa.list_(pa.int16())),
        "kv": pa.array([[("k%d" % j, j * 1.5) for j in range(i % 3)] for i in range(n)], pa.map_(pa.string(), pa.float32())),
        "st": pa.array([{"a": i, "b": "x" * (i % 3)} if i % 6 else None for i in range(n)],
                       pa.struct([("a", pa.int32()), ("b", pa.string())])),
    })


def main():
    out = sys.argv[1]
    t = table()
    flat = t.select(["id", "i32", "f", "s", "ts"])
    pq.write_table(t, os.path.join(out, "pyarrow-v2.parquet"), data_page_version="2.0", compression="snappy")
    pq.write_table(flat, os.path.join(out, "pyarrow-delta.parquet"), use_dictionary=False, compression="none",
                   column_encoding={"id": "DELTA_BINARY_PACKED", "i32": "DELTA_BINARY_PACKED", "s": "DELTA_BYTE_ARRAY",
                                    "ts": "DELTA_BINARY_PACKED", "f": "BYTE_STREAM_SPLIT"})
    pq.write_table(flat.select(["id", "s"]), os.path.join(out, "pyarrow-delta-length.parquet"), use_dictionary=False,
                   compression="none", column_encoding={"s": "DELTA_LENGTH_BYTE_ARRAY", "id": "BYTE_STREAM_SPLIT"})
    pq.write_table(t.select(["id", "ts", "st"]), os.path.join(out, "pyarrow-int96-lz4.parquet"),
                   use_deprecated_int96_timestamps=True, compression="lz4")
    pq.write_table(t, os.path.join(out, "pyarrow-nested-gzip.parquet"), compression="gzip", row_group_size=10)
    pq.write_table(t, os.path.join(out, "pyarrow-dictionary-plain.parquet"), compression="none", data_page_size=64,
                   write_batch_size=8)


if __name__ == "__main__":
    main()
