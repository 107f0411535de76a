"""Writes Avro object container files with fastavro for Tests/Interop/AvroInteropTests.swift to read with Weir.

usage: avro_write.py OUTDIR ROWS

Writes, for each codec in null, deflate, snappy, zstandard:
  all_<codec>.avro     every Avro type: primitives, fixed, enum, arrays, maps, nested and recursive records,
                       unions of several branches, every logical type fastavro writes (decimal on bytes and fixed,
                       uuid, date, time-millis/micros, (local-)timestamp-millis/micros), in small blocks (many blocks);
  columns_<codec>.avro a schema with a Paimon row type (nullable unions only), for Weir's column-batch reader.
Prints the paths written, one per line. Values come from a fixed seed, so runs are reproducible.
"""
import datetime as dt
import decimal
import os
import random
import sys
import uuid

import fastavro

CODECS = ["null", "deflate", "snappy", "zstandard"]

ALL_SCHEMA = {
    "type": "record", "name": "All", "namespace": "weir.interop",
    "fields": [
        {"name": "n", "type": "null"},
        {"name": "b", "type": "boolean"},
        {"name": "i", "type": "int"},
        {"name": "l", "type": "long"},
        {"name": "f", "type": "float"},
        {"name": "d", "type": "double"},
        {"name": "by", "type": "bytes"},
        {"name": "s", "type": "string"},
        {"name": "fx", "type": {"type": "fixed", "name": "Four", "size": 4}},
        {"name": "e", "type": {"type": "enum", "name": "Suit", "symbols": ["SPADES", "HEARTS", "DIAMONDS", "CLUBS"]}},
        {"name": "arr", "type": {"type": "array", "items": "long"}},
        {"name": "m", "type": {"type": "map", "values": ["null", "string"]}},
        {"name": "u3", "type": ["int", "string", "null", "Four"]},
        {"name": "opt", "type": ["null", "double"], "default": None},
        {"name": "nested", "type": {"type": "record", "name": "Inner", "fields": [
            {"name": "x", "type": "int"},
            {"name": "tags", "type": {"type": "array", "items": "string"}},
            {"name": "suit", "type": "Suit"},
        ]}},
        {"name": "list", "type": ["null", {"type": "record", "name": "Node", "fields": [
            {"name": "value", "type": "int"},
            {"name": "next", "type": ["null", "Node"], "default": None},
        ]}], "default": None},
        {"name": "recs", "type": {"type": "array", "items": "Inner"}},
        {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 20, "scale": 4}},
        {"name": "decfx", "type": {"type": "fixed", "name": "Dec9", "size": 9, "logicalType": "decimal", "precision": 20, "scale": 2}},
        {"name": "uid", "type": {"type": "string", "logicalType": "uuid"}},
        {"name": "day", "type": {"type": "int", "logicalType": "date"}},
        {"name": "tms", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "tus", "type": {"type": "long", "logicalType": "time-micros"}},
        {"name": "tsms", "type": {"type": "long", "logicalType": "timestamp-millis"}},
        {"name": "tsus", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "ltsms", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
        {"name": "ltsus", "type": {"type": "long", "logicalType": "local-timestamp-micros"}},
    ],
}

COLUMNS_SCHEMA = {
    "type": "record", "name": "Columns",
    "fields": [
        {"name": "id", "type": "long"},
        {"name": "flag", "type": ["null", "boolean"], "default": None},
        {"name": "small", "type": "int"},
        {"name": "ratio", "type": ["null", "float"], "default": None},
        {"name": "amount", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 3}], "default": None},
        {"name": "big", "type": {"type": "fixed", "name": "D30", "size": 13, "logicalType": "decimal", "precision": 30, "scale": 5}},
        {"name": "name", "type": ["string", "null"]},
        {"name": "raw", "type": ["null", "bytes"], "default": None},
        {"name": "code", "type": {"type": "fixed", "name": "Code", "size": 3}},
        {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN", "BLUE"]}},
        {"name": "day", "type": ["null", {"type": "int", "logicalType": "date"}], "default": None},
        {"name": "at", "type": {"type": "int", "logicalType": "time-millis"}},
        {"name": "atus", "type": {"type": "long", "logicalType": "time-micros"}},
        {"name": "ts3", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}], "default": None},
        {"name": "ts6", "type": {"type": "long", "logicalType": "timestamp-micros"}},
        {"name": "lts3", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
        {"name": "lts6", "type": ["null", {"type": "long", "logicalType": "local-timestamp-micros"}], "default": None},
        {"name": "nums", "type": ["null", {"type": "array", "items": ["null", "int"]}], "default": None},
        {"name": "props", "type": {"type": "map", "values": "long"}},
        {"name": "point", "type": ["null", {"type": "record", "name": "Point", "fields": [
            {"name": "x", "type": "double"}, {"name": "y", "type": ["null", "double"], "default": None},
            {"name": "labels", "type": {"type": "array", "items": "string"}}]}], "default": None},
        {"name": "pairs", "type": {"type": "array", "logicalType": "map", "items": {"type": "record", "name": "KV", "fields": [
            {"name": "key", "type": "int"}, {"name": "value", "type": ["null", "string"], "default": None}]}}},
    ],
}

UTC = dt.timezone.utc


def text(rng, n):
    alphabet = "abcxyzÄé中文😀 \"\\\n\t"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, n)))


def inner(rng, suits):
    return {"x": rng.randint(-1000, 1000), "tags": [text(rng, 5) for _ in range(rng.randint(0, 3))], "suit": rng.choice(suits)}


def linked(rng, depth):
    if depth == 0 or rng.random() < 0.3:
        return None
    return {"value": rng.randint(0, 99), "next": linked(rng, depth - 1)}


def all_record(rng, k):
    suits = ALL_SCHEMA["fields"][9]["type"]["symbols"]
    u3 = [rng.randint(-5, 5), text(rng, 4), None, bytes(rng.randrange(256) for _ in range(4))][k % 4]
    return {
        "n": None,
        "b": rng.random() < 0.5,
        "i": rng.choice([0, -1, 1, 2**31 - 1, -2**31, rng.randint(-10**6, 10**6)]),
        "l": rng.choice([0, -1, 2**63 - 1, -2**63, rng.randint(-10**15, 10**15)]),
        "f": rng.choice([0.0, -0.0, 1.5, float("inf"), float("nan"), rng.uniform(-1e6, 1e6)]),
        "d": rng.choice([0.0, -2.5, float("-inf"), 1e300, rng.uniform(-1e9, 1e9)]),
        "by": bytes(rng.randrange(256) for _ in range(rng.randint(0, 12))),
        "s": text(rng, 20),
        "fx": bytes(rng.randrange(256) for _ in range(4)),
        "e": rng.choice(suits),
        "arr": [rng.randint(-2**40, 2**40) for _ in range(rng.randint(0, 6))],
        "m": {text(rng, 6) + str(j): (None if rng.random() < 0.3 else text(rng, 5)) for j in range(rng.randint(0, 4))},
        "u3": u3,
        "opt": None if k % 3 == 0 else rng.uniform(-1, 1),
        "nested": inner(rng, suits),
        "list": linked(rng, 4),
        "recs": [inner(rng, suits) for _ in range(rng.randint(0, 3))],
        "dec": decimal.Decimal(rng.randint(-10**19 + 1, 10**19 - 1)).scaleb(-4),
        "decfx": decimal.Decimal(rng.randint(-10**19 + 1, 10**19 - 1)).scaleb(-2),
        "uid": uuid.UUID(int=rng.getrandbits(128)),
        "day": dt.date(1970, 1, 1) + dt.timedelta(days=rng.randint(-700000, 2900000)),
        "tms": dt.time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999) * 1000),
        "tus": dt.time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999999)),
        "tsms": dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(milliseconds=rng.randint(-2 * 10**12, 10**13)),
        "tsus": dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(microseconds=rng.randint(-2 * 10**15, 10**16)),
        "ltsms": dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=rng.randint(-2 * 10**12, 10**13)),
        "ltsus": dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=rng.randint(-2 * 10**15, 10**16)),
    }


def columns_record(rng, k):
    maybe = lambda v: None if rng.random() < 0.2 else v
    return {
        "id": k,
        "flag": maybe(rng.random() < 0.5),
        "small": rng.randint(-2**31, 2**31 - 1),
        "ratio": maybe(rng.uniform(-100, 100)),
        "amount": maybe(decimal.Decimal(rng.randint(-10**12 + 1, 10**12 - 1)).scaleb(-3)),
        "big": decimal.Decimal(rng.randint(-10**30 + 1, 10**30 - 1)).scaleb(-5),
        "name": maybe(text(rng, 12)),
        "raw": maybe(bytes(rng.randrange(256) for _ in range(rng.randint(0, 8)))),
        "code": bytes(rng.randrange(256) for _ in range(3)),
        "color": rng.choice(["RED", "GREEN", "BLUE"]),
        "day": maybe(dt.date(1970, 1, 1) + dt.timedelta(days=rng.randint(-200000, 200000))),
        "at": dt.time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999) * 1000),
        "atus": dt.time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999999)),
        "ts3": maybe(dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(milliseconds=rng.randint(-10**12, 10**13))),
        "ts6": dt.datetime(1970, 1, 1, tzinfo=UTC) + dt.timedelta(microseconds=rng.randint(-10**15, 10**16)),
        "lts3": dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=rng.randint(-10**12, 10**13)),
        "lts6": maybe(dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=rng.randint(-10**15, 10**16))),
        "nums": maybe([maybe(rng.randint(-9, 9)) for _ in range(rng.randint(0, 5))]),
        "props": {text(rng, 4) + str(j): rng.randint(-10**12, 10**12) for j in range(rng.randint(0, 3))},
        "point": maybe({"x": rng.uniform(-1, 1), "y": maybe(rng.uniform(-1, 1)), "labels": [text(rng, 3) for _ in range(rng.randint(0, 2))]}),
        "pairs": [{"key": rng.randint(-50, 50), "value": maybe(text(rng, 3))} for _ in range(rng.randint(0, 3))],
    }


def main():
    out_dir, rows = sys.argv[1], int(sys.argv[2])
    os.makedirs(out_dir, exist_ok=True)
    all_schema = fastavro.parse_schema(ALL_SCHEMA)
    columns_schema = fastavro.parse_schema(COLUMNS_SCHEMA)
    for codec in CODECS:
        rng = random.Random(7)
        path = os.path.join(out_dir, "all_%s.avro" % codec)
        with open(path, "wb") as f:
            fastavro.writer(f, all_schema, (all_record(rng, k) for k in range(rows)), codec=codec,
                            sync_interval=2000, metadata={"weir.test": "fastavro " + codec})
        print(path)
        path = os.path.join(out_dir, "columns_%s.avro" % codec)
        with open(path, "wb") as f:
            fastavro.writer(f, columns_schema, (columns_record(rng, k) for k in range(rows)), codec=codec, sync_interval=4000)
        print(path)


if __name__ == "__main__":
    main()
