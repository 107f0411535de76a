"""Writes ORC files with pyarrow.orc.write_table, one per CASE:COMPRESSION argument, as DIR/CASE-COMPRESSION.orc,
and beside each DIR/CASE-COMPRESSION.jsonl: the rows pyarrow reads back from it as JSON lines in Weir's value
encoding (so Weir's reading can be compared with the reference reader's).

usage: orc_write.py DIR CASE:COMPRESSION...
  CASE: flat | dictionary | direct | stripes | nested | empty
  COMPRESSION: uncompressed | zlib | snappy | zstd | lz4"""
import datetime as dt
import decimal
import sys

import pyarrow as pa
import pyarrow.orc as orc

import value_json


def with_nulls(values, every):
    return [None if i % every == every - 1 else v for i, v in enumerate(values)]


def flat_table(n=3000):
    ts0 = dt.datetime(1969, 12, 31, 23, 59, 58, 250000)
    rows = range(n)
    return pa.table({
        "b": pa.array(with_nulls([i % 3 == 0 for i in rows], 7), pa.bool_()),
        "i8": pa.array(with_nulls([(i * 37) % 256 - 128 for i in rows], 5), pa.int8()),
        "i16": pa.array(with_nulls([(i * 7919) % 65536 - 32768 for i in rows], 6), pa.int16()),
        "i32": pa.array(with_nulls([(i * 2654435761) % (1 << 32) - (1 << 31) for i in rows], 4), pa.int32()),
        "i64": pa.array(with_nulls([(i * 0x9E3779B97F4A7C15) % (1 << 64) - (1 << 63) if i % 10 else i for i in rows], 9), pa.int64()),
        "seq": pa.array([1000 + 3 * i for i in rows], pa.int64()),
        "f32": pa.array(with_nulls([float(i) * 0.25 - 100.5 for i in rows], 8), pa.float32()),
        "f64": pa.array(with_nulls([i * 1.0e-3 - 1.5e6 if i % 11 else float("nan") for i in rows], 3), pa.float64()),
        "s": pa.array(with_nulls(["row-%d-%s" % (i, "é" * (i % 4)) for i in rows], 10), pa.string()),
        "bin": pa.array(with_nulls([bytes([i % 256, (i * 7) % 256]) * (i % 5) for i in rows], 12), pa.binary()),
        "d": pa.array(with_nulls([dt.date(1900, 1, 1) + dt.timedelta(days=i * 29) for i in rows], 13), pa.date32()),
        "ts": pa.array(with_nulls([ts0 + dt.timedelta(microseconds=i * 1_000_333) for i in rows], 14), pa.timestamp("us")),
        "ts_ns": pa.array(with_nulls([-5_000_000_123 + i * 1_234_567_891 for i in rows], 15), pa.timestamp("ns")),
        "ts_utc": pa.array(with_nulls([1_700_000_000_000_000 + i * 999_999 for i in rows], 16), pa.timestamp("us", tz="UTC")),
        "dec": pa.array(with_nulls([decimal.Decimal(i * 12345 - 10_000_000).scaleb(-2) for i in rows], 17), pa.decimal128(10, 2)),
        "dec38": pa.array(with_nulls([decimal.Decimal((i - 1500) * 10**30 + i).scaleb(-6) for i in rows], 18), pa.decimal128(38, 6)),
        "all_null": pa.array([None] * n, pa.int32()),
    })


def strings_table(n=8000):
    return pa.table({
        "low": pa.array(with_nulls(["color-%d" % (i % 17) for i in range(n)], 9), pa.string()),
        "high": pa.array(with_nulls(["unique-%08d" % (i * 7) for i in range(n)], 11), pa.string()),
        "empty": pa.array(with_nulls(["" if i % 2 else "x" for i in range(n)], 5), pa.string()),
    })


def stripes_table(n=30000):
    return pa.table({
        "id": pa.array(range(n), pa.int64()),
        "v": pa.array(with_nulls([i * 0.5 for i in range(n)], 101), pa.float64()),
        "s": pa.array(["k%d" % (i % 1000) for i in range(n)], pa.string()),
        "t": pa.array([i % 250 for i in range(n)], pa.int16()),
    })


def nested_table(n=2000):
    def lst(i):
        if i % 7 == 3:
            return None
        return [None if (i + j) % 5 == 4 else i * 10 + j for j in range(i % 4)]

    def strs(i):
        if i % 9 == 8:
            return None
        return ["s%d" % j if j % 3 else None for j in range(i % 3)]

    def mp(i):
        if i % 6 == 5:
            return None
        return [("k%d" % j, None if j == 1 else i + j) for j in range(i % 3)]

    def st(i):
        if i % 8 == 7:
            return None
        return {"a": None if i % 5 == 0 else i, "b": "b%d" % i if i % 4 else None, "c": [float(i), None] if i % 2 else []}

    def lst_st(i):
        if i % 10 == 9:
            return None
        return [{"x": i + j, "y": None if j % 2 else "y%d" % j} for j in range(i % 3)]

    def lst_lst(i):
        if i % 11 == 10:
            return None
        return [[i, None] if j % 2 else [] for j in range(i % 3)]

    return pa.table({
        "id": pa.array(range(n), pa.int32()),
        "ints": pa.array([lst(i) for i in range(n)], pa.list_(pa.int64())),
        "strs": pa.array([strs(i) for i in range(n)], pa.list_(pa.string())),
        "m": pa.array([mp(i) for i in range(n)], pa.map_(pa.string(), pa.int32())),
        "st": pa.array([st(i) for i in range(n)], pa.struct([("a", pa.int32()), ("b", pa.string()), ("c", pa.list_(pa.float64()))])),
        "lst_st": pa.array([lst_st(i) for i in range(n)], pa.list_(pa.struct([("x", pa.int64()), ("y", pa.string())]))),
        "lst_lst": pa.array([lst_lst(i) for i in range(n)], pa.list_(pa.list_(pa.int32()))),
    })


def write(out, case, compression):
    options = {"compression": compression}
    if case == "flat":
        table = flat_table()
    elif case == "dictionary":
        table = strings_table()
        options["dictionary_key_size_threshold"] = 1.0
    elif case == "direct":
        table = strings_table()
        options["dictionary_key_size_threshold"] = 0.0
    elif case == "stripes":
        table = stripes_table()
        options["stripe_size"] = 16 * 1024
        options["batch_size"] = 2048
        options["row_index_stride"] = 1000
        options["dictionary_key_size_threshold"] = 0.5
    elif case == "nested":
        table = nested_table()
    elif case == "empty":
        table = flat_table(0)
    else:
        raise SystemExit("unknown case " + case)
    orc.write_table(table, out + ".orc", **options)
    back = orc.ORCFile(out + ".orc").read()
    assert back.num_rows == table.num_rows
    with open(out + ".jsonl", "w") as f:
        value_json.dump_jsonl(value_json.table_rows(back), f)


def main():
    directory = sys.argv[1]
    for spec in sys.argv[2:]:
        case, compression = spec.split(":")
        write("%s/%s-%s" % (directory, case, compression), case, compression)


if __name__ == "__main__":
    main()
