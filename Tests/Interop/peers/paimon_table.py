"""Reads or writes a Paimon table with pypaimon (the real peer, pinned in requirements.txt), so the interop tests
can compare what pypaimon reads with what Weir reads, and let both write into one table.

usage:
  paimon_table.py read WAREHOUSE DB.TABLE [--snapshot N] [--tag T] [--all-levels]
      prints the rows as JSON Lines in the encoding of value_json.py (Weir's ValueJSON), columns in schema order
      (the schema of the snapshot read), rows sorted by their JSON text (so the order does not depend on the
      reader). --all-levels reads level-0 files too (plan_for_write), which a plain batch read of a first-row table
      skips.
  paimon_table.py read-snapshots WAREHOUSE DB.TABLE [--all-levels] [--since N]
      one process for what `read` gives for every snapshot (from id N on) and for the latest: one JSON line per
      read, {"snapshot": N or "latest", "rows": [row, ...]}, snapshots in id order, the latest last.
  paimon_table.py write WAREHOUSE DB.TABLE ROWS.jsonl
      one batch commit of the rows (JSON Lines in the same encoding; the table's schema decides the types).
  paimon_table.py create WAREHOUSE DB.TABLE SCHEMA.json
      creates the table from a Paimon schema JSON ({"fields":[{"name","type"}], "primaryKeys", "partitionKeys",
      "options"}) through pypaimon's catalog.

WAREHOUSE is a local directory or an s3:// URI (then the AWS_* / S3 endpoint environment of the test applies:
WEIR_S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION; the endpoint is addressed path-style)."""
import datetime as dt
import decimal
import json
import os
import sys

import pyarrow as pa

from pypaimon import CatalogFactory, Schema

import value_json


def catalog_for(warehouse):
    options = {"warehouse": warehouse}
    if warehouse.startswith("s3://"):
        # pypaimon 2.1.0's option names (pypaimon/common/options/config.py S3Options, read by
        # pypaimon/filesystem/pyarrow_file_io.py _initialize_s3_fs). path-style-access: the test servers are
        # addressed path-style on the Weir side too; without it pypaimon asks pyarrow for virtual-host addressing
        # (force_virtual_addressing), which S3-compatible servers on a plain host:port often do not serve.
        options.update({
            "fs.s3.endpoint": os.environ["WEIR_S3_ENDPOINT"],
            "fs.s3.accessKeyId": os.environ["AWS_ACCESS_KEY_ID"],
            "fs.s3.accessKeySecret": os.environ["AWS_SECRET_ACCESS_KEY"],
            "fs.s3.region": os.environ.get("AWS_REGION", "us-east-1"),
            "fs.s3.path-style-access": "true",
        })
    return CatalogFactory.create(options)


def precisions(table):
    out = {}
    for field in table.table_schema.fields:
        text = str(field.type)
        if text.startswith("TIMESTAMP"):
            inner = text[text.find("(") + 1:text.find(")")] if "(" in text else "6"
            out[field.name] = int(inner)
    return out


def _line(row):
    return json.dumps(row, separators=(",", ":"), ensure_ascii=False)


def table_rows(table, all_levels):
    """The table's rows (as of its scan options) as JSON-ready dicts, sorted by their JSON text."""
    rb = table.new_read_builder()
    scan = rb.new_scan()
    splits = (scan.plan_for_write() if all_levels else scan.plan()).splits()
    arrow = rb.new_read().to_arrow(splits)
    names = [f.name for f in table.table_schema.fields]
    if arrow is None:
        arrow = pa.table({name: pa.array([], pa.null()) for name in names})
    rows = value_json.table_rows(arrow.select(names), precisions(table))
    return sorted(rows, key=_line)


def read(warehouse, ident, args):
    table = catalog_for(warehouse).get_table(ident)
    if "--snapshot" in args:
        table = table.copy({"scan.snapshot-id": args[args.index("--snapshot") + 1]})
    if "--tag" in args:
        table = table.copy({"scan.tag-name": args[args.index("--tag") + 1]})
    sys.stdout.write("".join(_line(row) + "\n" for row in table_rows(table, "--all-levels" in args)))


def read_snapshots(warehouse, ident, args):
    table = catalog_for(warehouse).get_table(ident)
    all_levels = "--all-levels" in args
    since = int(args[args.index("--since") + 1]) if "--since" in args else 0
    ids = sorted(snapshot.id for snapshot in table.snapshot_manager().list_snapshots() if snapshot.id >= since)
    for snapshot_id in ids:
        rows = table_rows(table.copy({"scan.snapshot-id": str(snapshot_id)}), all_levels)
        sys.stdout.write(_line({"snapshot": snapshot_id, "rows": rows}) + "\n")
    sys.stdout.write(_line({"snapshot": "latest", "rows": table_rows(table, all_levels)}) + "\n")


def _decode(value, arrow_type):
    if value is None:
        return None
    if pa.types.is_decimal(arrow_type):
        return decimal.Decimal(value)
    if pa.types.is_date32(arrow_type):
        return dt.date.fromisoformat(value)
    if pa.types.is_timestamp(arrow_type):
        return dt.datetime.fromisoformat(value[:26])
    if pa.types.is_binary(arrow_type):
        return bytes.fromhex(value)
    if pa.types.is_floating(arrow_type) and isinstance(value, str):
        return float({"NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}[value])
    return value


def write(warehouse, ident, rows_path):
    table = catalog_for(warehouse).get_table(ident)
    from pypaimon.schema.data_types import PyarrowFieldParser
    schema = PyarrowFieldParser.from_paimon_schema(table.table_schema.fields)
    with open(rows_path) as f:
        rows = [json.loads(line) for line in f if line.strip()]
    columns = {field.name: [_decode(r.get(field.name), field.type) for r in rows] for field in schema}
    data = pa.Table.from_pydict(columns, schema=schema)
    wb = table.new_batch_write_builder()
    writer = wb.new_write()
    commit = wb.new_commit()
    try:
        writer.write_arrow(data)
        commit.commit(writer.prepare_commit())
    finally:
        writer.close()
        commit.close()


def create(warehouse, ident, schema_path):
    from pypaimon.schema.data_types import DataField
    with open(schema_path) as f:
        doc = json.load(f)
    catalog = catalog_for(warehouse)
    catalog.create_database(ident.split(".")[0], True)
    fields = [DataField.from_dict({"id": i, "name": fd["name"], "type": fd["type"]}) for i, fd in enumerate(doc["fields"])]
    schema = Schema(fields=fields, partition_keys=doc.get("partitionKeys", []),
                    primary_keys=doc.get("primaryKeys", []), options=doc.get("options", {}))
    catalog.create_table(ident, schema, False)


def main():
    command, warehouse, ident = sys.argv[1], sys.argv[2], sys.argv[3]
    if command == "read":
        read(warehouse, ident, sys.argv[4:])
    elif command == "read-snapshots":
        read_snapshots(warehouse, ident, sys.argv[4:])
    elif command == "write":
        write(warehouse, ident, sys.argv[4])
    elif command == "create":
        create(warehouse, ident, sys.argv[4])
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main()
