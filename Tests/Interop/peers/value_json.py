"""The Python half of Weir's JSON value encoding (Sources/WeirTextFormats/ValueJSON.swift documents it), so
the interop tests can compare what a peer reads with what Weir reads, row by row, after parsing both.

Works from Arrow arrays (pyarrow reads Parquet and ORC; fastavro records are converted by the Avro peer)."""
import datetime as dt
import json
import math

import pyarrow as pa

EPOCH = dt.date(1970, 1, 1)


def _date(days):
    return (EPOCH + dt.timedelta(days=days)).isoformat()


def _timestamp(value, unit_per_second, nine_digits):
    seconds, fraction = divmod(value, unit_per_second)
    days, second_of_day = divmod(seconds, 86400)
    text = "%sT%02d:%02d:%02d." % (_date(days), second_of_day // 3600, second_of_day // 60 % 60, second_of_day % 60)
    if nine_digits:
        return text + "%09d" % (fraction * (1_000_000_000 // unit_per_second))
    return text + "%06d" % (fraction * 1_000_000 // unit_per_second)


def _float(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def column(arr, precision=None):
    """JSON-ready Python values of one Arrow array. `precision` is the Paimon TIMESTAMP precision when known
    (it decides 6 or 9 fractional digits); without it, nanosecond arrays get 9 digits and others 6."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    t = arr.type
    valid = arr.is_valid().to_pylist()
    if pa.types.is_timestamp(t):
        per_second = {"s": 1, "ms": 1000, "us": 1_000_000, "ns": 1_000_000_000}[t.unit]
        nine = precision > 6 if precision is not None else t.unit == "ns"
        ints = arr.cast(pa.int64()).to_pylist()
        return [_timestamp(v, per_second, nine) if ok else None for v, ok in zip(ints, valid)]
    if pa.types.is_date32(t):
        return [_date(v) if ok else None for v, ok in zip(arr.cast(pa.int32()).to_pylist(), valid)]
    if pa.types.is_time(t):
        per_second = {"s": 1, "ms": 1000, "us": 1_000_000, "ns": 1_000_000_000}[t.unit]
        ints = arr.cast(pa.int32() if pa.types.is_time32(t) else pa.int64()).to_pylist()  # Arrow casts time32 only to int32
        out = []
        for v, ok in zip(ints, valid):
            if not ok:
                out.append(None)
                continue
            ms = v * 1000 // per_second
            out.append("%02d:%02d:%02d.%03d" % (ms // 3_600_000, ms // 60_000 % 60, ms // 1000 % 60, ms % 1000))
        return out
    if pa.types.is_decimal(t):
        return [format(v, "f") if ok else None for v, ok in zip(arr.to_pylist(), valid)]
    if pa.types.is_binary(t) or pa.types.is_large_binary(t) or pa.types.is_fixed_size_binary(t):
        return [v.hex() if ok else None for v, ok in zip(arr.to_pylist(), valid)]
    if pa.types.is_floating(t):
        return [_float(float(v)) if ok else None for v, ok in zip(arr.to_pylist(), valid)]
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        values = column(arr.flatten())
        offsets = arr.offsets.to_pylist()
        return [values[offsets[i]:offsets[i + 1]] if ok else None for i, ok in enumerate(valid)]
    if pa.types.is_map(t):
        keys, items = column(arr.keys), column(arr.items)
        offsets = arr.offsets.to_pylist()
        return [[[keys[j], items[j]] for j in range(offsets[i], offsets[i + 1])] if ok else None for i, ok in enumerate(valid)]
    if pa.types.is_struct(t):
        children = {t.field(i).name: column(arr.field(i)) for i in range(t.num_fields)}
        return [{name: children[name][i] for name in children} if ok else None for i, ok in enumerate(valid)]
    return arr.to_pylist()


def table_rows(table, precisions=None):
    """The rows of an Arrow table as JSON-ready dicts, columns in table order."""
    precisions = precisions or {}
    columns = {name: column(table.column(name), precisions.get(name)) for name in table.column_names}
    return [{name: columns[name][i] for name in table.column_names} for i in range(table.num_rows)]


def dump_jsonl(rows, out):
    for row in rows:
        out.write(json.dumps(row, separators=(",", ":"), ensure_ascii=False) + "\n")
