"""Reads Avro object container files with fastavro and prints their records as JSON lines, for
Tests/Interop/AvroInteropTests.swift.

usage: avro_read.py MODE FILE...

For each FILE it prints a line {"__file__": FILE, "codec": ..., "blocks": N} and then one JSON line per record.
MODE says how values are encoded; both walk fastavro's value together with the writer's schema:

  generic  the encoding of AvroInteropTests.genericJSON: null, booleans, numbers (float/double: "NaN",
           "Infinity", "-Infinity" for non-finite), bytes and fixed as lower-case hex, strings, enums as their
           symbol, arrays as lists, maps as lists of [key, value] in file order, records as objects, unions as the
           branch's value. Logical types are undone to the raw Avro value (a date is its day number, a timestamp
           its count of units), except decimals, which print as their decimal string with exactly `scale` digits.
  paimon   the encoding of Sources/WeirTextFormats/ValueJSON.swift (value_json.py) for the Paimon type each Avro
           type maps to: dates "YYYY-MM-DD", times "HH:MM:SS.fff", timestamps with 6 fractional digits (9 for
           *-nanos), decimals with `scale` digits, bytes as hex, maps and key/value arrays as [key, value] pairs.
"""
import datetime as dt
import decimal
import json
import sys
import uuid

import fastavro

import value_json

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
EPOCH_NAIVE = dt.datetime(1970, 1, 1)
EPOCH_DATE = dt.date(1970, 1, 1)


def _units(delta, per_second):
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return micros * per_second // 1_000_000


def _raw_time(value, per_second):
    micros = ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond
    return micros * per_second // 1_000_000


def _resolve(schema, named):
    if isinstance(schema, str) and schema in named:
        return named[schema]
    return schema


def _collect(schema, named):
    if isinstance(schema, list):
        for branch in schema:
            _collect(branch, named)
    elif isinstance(schema, dict):
        if schema.get("type") in ("record", "error", "enum", "fixed") and "name" in schema:
            named[schema["name"]] = schema
        for field in schema.get("fields", []):
            _collect(field["type"], named)
        for key in ("items", "values"):
            if key in schema:
                _collect(schema[key], named)
        if isinstance(schema.get("type"), (dict, list)):
            _collect(schema["type"], named)


def _branch(schema, value, named):
    """The union branch fastavro's value came from (fastavro does not say; pick by Python type)."""
    for branch in schema:
        b = _resolve(branch, named)
        t = b if isinstance(b, str) else b["type"]
        if isinstance(t, (dict, list)):
            t = t["type"] if isinstance(t, dict) else "union"
        logical = b.get("logicalType") if isinstance(b, dict) else None
        if value is None and t == "null":
            return b
        if value is None:
            continue
        if t == "boolean" and isinstance(value, bool):
            return b
        if isinstance(value, bool):
            continue
        if t in ("int", "long") and logical is None and isinstance(value, int):
            return b
        if t in ("float", "double") and isinstance(value, float):
            return b
        if t == "string" and isinstance(value, (str, uuid.UUID)):
            return b
        if t in ("bytes", "fixed") and isinstance(value, (bytes, decimal.Decimal)):
            return b
        if t == "enum" and isinstance(value, str):
            return b
        if t == "array" and isinstance(value, list):
            return b
        if t == "map" and isinstance(value, dict):
            return b
        if t in ("record", "error") and isinstance(value, dict):
            return b
        if logical is not None and isinstance(value, (int, dt.date, dt.time, dt.datetime)):
            return b
    raise ValueError("no branch of %r fits %r" % (schema, value))


def _decimal_text(value, scale):
    return format(value.quantize(decimal.Decimal(1).scaleb(-scale), context=decimal.Context(prec=80)), "f")


def convert(schema, value, named, mode):
    schema = _resolve(schema, named)
    if isinstance(schema, list):
        return convert(_branch(schema, value, named), value, named, mode)
    if value is None:
        return None
    if isinstance(schema, str):
        t, logical, s = schema, None, {}
    else:
        s = schema
        t = schema["type"]
        if isinstance(t, (dict, list)):
            return convert(t, value, named, mode)
        if t in named and t not in ("record", "enum", "fixed", "array", "map"):
            return convert(named[t], value, named, mode)
        logical = schema.get("logicalType")
    if t in ("record", "error"):
        return {f["name"]: convert(f["type"], value.get(f["name"]), named, mode) for f in s["fields"]}
    if t == "array":
        items = s["items"]
        item_schema = _resolve(items, named)
        if (mode == "paimon" and logical == "map" and isinstance(item_schema, dict)
                and item_schema.get("type") == "record"):
            key_field = next(f for f in item_schema["fields"] if f["name"] == "key")
            value_field = next(f for f in item_schema["fields"] if f["name"] == "value")
            return [[convert(key_field["type"], v["key"], named, mode), convert(value_field["type"], v["value"], named, mode)]
                    for v in value]
        return [convert(items, v, named, mode) for v in value]
    if t == "map":
        return [[k, convert(s["values"], v, named, mode)] for k, v in value.items()]
    if logical == "decimal" and t in ("bytes", "fixed") and isinstance(value, decimal.Decimal):
        return _decimal_text(value, s.get("scale", 0))
    if t in ("bytes", "fixed"):
        return bytes(value).hex()
    if t == "enum":
        return value
    if t == "string":
        return str(value)
    if t == "boolean":
        return bool(value)
    if t in ("float", "double"):
        return value_json._float(float(value))
    # int and long, with their logical types
    if logical == "date":
        if mode == "paimon":
            return value.isoformat() if isinstance(value, dt.date) else value_json._date(value)
        return (value - EPOCH_DATE).days if isinstance(value, dt.date) else value
    if logical in ("time-millis", "time-micros"):
        millis = _raw_time(value, 1000) if isinstance(value, dt.time) else (value if logical == "time-millis" else value // 1000)
        if mode == "paimon":
            return "%02d:%02d:%02d.%03d" % (millis // 3_600_000, millis // 60_000 % 60, millis // 1000 % 60, millis % 1000)
        if isinstance(value, dt.time):
            return _raw_time(value, 1000 if logical == "time-millis" else 1_000_000)
        return value
    if logical and "timestamp" in logical:
        per_second = {"millis": 1000, "micros": 1_000_000, "nanos": 1_000_000_000}[logical.rsplit("-", 1)[1]]
        if isinstance(value, dt.datetime):
            raw = _units(value - (EPOCH if value.tzinfo is not None else EPOCH_NAIVE), per_second)
        else:
            raw = value
        if mode == "paimon":
            return value_json._timestamp(raw, per_second, per_second == 1_000_000_000)
        return raw
    return value


def main():
    mode = sys.argv[1]
    out = sys.stdout
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            reader = fastavro.reader(f)
            schema = reader.writer_schema
            named = {}
            _collect(schema, named)
            rows = [convert(schema, record, named, mode) for record in reader]
        with open(path, "rb") as f:
            blocks = sum(1 for _ in fastavro.block_reader(f))
        out.write(json.dumps({"__file__": path, "codec": reader.codec, "blocks": blocks}) + "\n")
        for row in rows:
            out.write(json.dumps(row, separators=(",", ":"), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
