"""Writes Parquet files with pyarrow in every layout a reader must handle, and beside each FILE.parquet the rows as
pyarrow reads them, FILE.parquet.expected.jsonl (value_json encoding), for Weir to compare with.

usage: parquet_write.py OUT_DIR

Files: default settings; every codec; dictionary off; data page v2 (compressed and not, with and without dictionary);
many row groups; many small pages; nulls everywhere; DELTA_BINARY_PACKED / DELTA_LENGTH_BYTE_ARRAY /
DELTA_BYTE_ARRAY; BYTE_STREAM_SPLIT; INT96 timestamps; decimals stored as integers; nested types."""
import datetime as dt
import decimal
import os
import random
import sys

import pyarrow as pa
import pyarrow.parquet as pq

import parquet_read
import value_json

ROWS = 300


def maybe(rng, value, null_rate):
    return None if rng.random() < null_rate else value


def make_table(seed, null_rate):
    rng = random.Random(seed)
    n = ROWS
    words = ["", "a", "Paimon", "naïve", "日本語", "🙂", "x" * 40, "tab\t", "repeat", "repeat"]

    def col(fn):
        return [maybe(rng, fn(i), null_rate) for i in range(n)]

    def ts(unit_per_second):
        return lambda i: rng.randint(-2_000_000_000, 4_000_000_000) * unit_per_second + rng.randint(0, unit_per_second - 1)

    def dec(p, s):
        return lambda i: decimal.Decimal(rng.randint(-(10 ** p - 1), 10 ** p - 1)).scaleb(-s)

    point = pa.struct([("x", pa.int32()), ("label", pa.string()), ("w", pa.list_(pa.float64()))])

    def point_value(i):
        return {"x": maybe(rng, rng.randint(-2**31, 2**31 - 1), null_rate), "label": maybe(rng, rng.choice(words), null_rate),
                "w": maybe(rng, [maybe(rng, rng.uniform(-1e6, 1e6), null_rate) for _ in range(rng.randint(0, 3))], null_rate)}

    columns = {
        "id": (pa.int64(), list(range(n))),
        "b": (pa.bool_(), col(lambda i: rng.random() < 0.5)),
        "i8": (pa.int8(), col(lambda i: rng.randint(-128, 127))),
        "i16": (pa.int16(), col(lambda i: rng.randint(-32768, 32767))),
        "i32": (pa.int32(), col(lambda i: rng.randint(-2**31, 2**31 - 1))),
        "i64": (pa.int64(), col(lambda i: rng.randint(-2**63, 2**63 - 1))),
        "u8": (pa.uint8(), col(lambda i: rng.randint(0, 255))),
        "u16": (pa.uint16(), col(lambda i: rng.randint(0, 65535))),
        "u32": (pa.uint32(), col(lambda i: rng.randint(0, 2**32 - 1))),
        "f32": (pa.float32(), col(lambda i: float(rng.randint(-10**6, 10**6)) / 8)),
        "f64": (pa.float64(), col(lambda i: rng.uniform(-1e300, 1e300))),
        "dec5": (pa.decimal128(5, 2), col(dec(5, 2))),
        "dec18": (pa.decimal128(18, 4), col(dec(18, 4))),
        "dec38": (pa.decimal128(38, 9), col(dec(38, 9))),
        "s": (pa.string(), col(lambda i: rng.choice(words))),
        "ls": (pa.large_string(), col(lambda i: rng.choice(words) + str(i))),
        "bin": (pa.binary(), col(lambda i: bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 6))))),
        "fbin": (pa.binary(4), col(lambda i: bytes(rng.randint(0, 255) for _ in range(4)))),
        "day": (pa.date32(), col(lambda i: dt.date(1970, 1, 1) + dt.timedelta(days=rng.randint(-700_000, 2_900_000)))),
        "t_ms": (pa.time32("ms"), col(lambda i: rng.randint(0, 86_399_999))),
        "t_us": (pa.time64("us"), col(lambda i: rng.randint(0, 86_399_999_999))),
        "t_ns": (pa.time64("ns"), col(lambda i: rng.randint(0, 86_399_999_999_999))),
        "ts_ms": (pa.timestamp("ms"), col(ts(1000))),
        "ts_us": (pa.timestamp("us"), col(ts(1_000_000))),
        "ts_ns": (pa.timestamp("ns"), col(ts(1_000_000_000))),
        "tz_us": (pa.timestamp("us", tz="UTC"), col(ts(1_000_000))),
        "ints": (pa.list_(pa.int32()), col(lambda i: [maybe(rng, rng.randint(-1000, 1000), null_rate) for _ in range(rng.randint(0, 4))])),
        "names": (pa.list_(pa.string()), col(lambda i: [maybe(rng, rng.choice(words), null_rate) for _ in range(rng.randint(0, 3))])),
        "attrs": (pa.map_(pa.string(), pa.int64()), col(lambda i: [(w + str(k), maybe(rng, rng.randint(-9, 9), null_rate))
                                                                   for k, w in enumerate(rng.sample(words, rng.randint(0, 3)))])),
        "point": (point, col(point_value)),
        "points": (pa.list_(point), col(lambda i: [maybe(rng, point_value(i), null_rate) for _ in range(rng.randint(0, 3))])),
        "deep": (pa.map_(pa.int32(), pa.list_(pa.decimal128(20, 3))),
                 col(lambda i: [(k, maybe(rng, [maybe(rng, dec(20, 3)(0), null_rate) for _ in range(rng.randint(0, 2))], null_rate))
                                for k in rng.sample(range(100), rng.randint(0, 3))])),
        "matrix": (pa.list_(pa.list_(pa.int16())), col(lambda i: [[rng.randint(-5, 5) for _ in range(rng.randint(0, 2))]
                                                                   for _ in range(rng.randint(0, 2))])),
    }
    return pa.table({name: pa.array(values, type=t) for name, (t, values) in columns.items()})


def write(out_dir, name, table, **options):
    path = os.path.join(out_dir, name + ".parquet")
    pq.write_table(table, path, **options)
    with open(path + ".expected.jsonl", "w", encoding="utf-8") as out:
        value_json.dump_jsonl(value_json.table_rows(parquet_read.normalized(pq.ParquetFile(path).read())), out)


def main():
    out_dir = sys.argv[1]
    table = make_table(1, 0.1)
    write(out_dir, "default", table)
    for codec in ["none", "snappy", "gzip", "zstd", "lz4"]:
        write(out_dir, "codec-" + codec, table, compression=codec)
    write(out_dir, "plain", table, use_dictionary=False)
    write(out_dir, "v2", table, data_page_version="2.0")
    write(out_dir, "v2-uncompressed", table, data_page_version="2.0", compression="none")
    write(out_dir, "v2-plain-zstd", table, data_page_version="2.0", use_dictionary=False, compression="zstd")
    write(out_dir, "row-groups", table, row_group_size=37)
    write(out_dir, "small-pages", table, data_page_size=256, write_batch_size=16)
    write(out_dir, "v2-small-pages", table, data_page_version="2.0", data_page_size=256, write_batch_size=16)
    write(out_dir, "nulls", make_table(2, 0.7))
    write(out_dir, "all-nulls", make_table(3, 1.0).drop_columns(["id"]))
    flat = table.select(["id", "i32", "i64", "s", "ls", "bin", "fbin", "f32", "f64", "dec18", "ts_ns", "day"])
    write(out_dir, "delta", flat, use_dictionary=False,
          column_encoding={"id": "DELTA_BINARY_PACKED", "i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED",
                           "ts_ns": "DELTA_BINARY_PACKED", "day": "DELTA_BINARY_PACKED", "s": "DELTA_LENGTH_BYTE_ARRAY",
                           "ls": "DELTA_BYTE_ARRAY", "bin": "DELTA_BYTE_ARRAY", "fbin": "DELTA_BYTE_ARRAY"})
    write(out_dir, "delta-v2", flat, use_dictionary=False, data_page_version="2.0", data_page_size=512,
          column_encoding={"id": "DELTA_BINARY_PACKED", "i32": "DELTA_BINARY_PACKED", "s": "DELTA_BYTE_ARRAY",
                           "ls": "DELTA_LENGTH_BYTE_ARRAY"})
    write(out_dir, "byte-stream-split", flat, use_dictionary=False,
          column_encoding={"f32": "BYTE_STREAM_SPLIT", "f64": "BYTE_STREAM_SPLIT", "i32": "BYTE_STREAM_SPLIT",
                           "i64": "BYTE_STREAM_SPLIT", "fbin": "BYTE_STREAM_SPLIT", "dec18": "BYTE_STREAM_SPLIT"})
    write(out_dir, "int96", table.select(["id", "ts_ms", "ts_us", "ts_ns", "tz_us", "points"]),
          use_deprecated_int96_timestamps=True)
    write(out_dir, "decimal-as-integer", table.select(["id", "dec5", "dec18", "dec38", "deep"]), store_decimal_as_integer=True)
    write(out_dir, "legacy-list-names", table.select(["id", "ints", "names", "points", "matrix"]), use_compliant_nested_type=False)
    write(out_dir, "checksums", table, write_page_checksum=True)


if __name__ == "__main__":
    main()
