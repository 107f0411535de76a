"""Deletion vectors, changelog streams and roaring bitmaps through the real pypaimon 2.1.0 (and the pyroaring it
uses), for Tests/Interop/PaimonDeletionVectorInteropTests.swift. Tables are created and written with
paimon_table.py (create / write / read).

usage:
  paimon_dv.py delete-row-ids WAREHOUSE DB.TABLE ID [ID ...]
      one batch commit deleting rows by _ROW_ID (pypaimon writes them as deletion vectors; the table needs
      row-tracking.enabled, data-evolution.enabled and deletion-vectors.enabled).
  paimon_dv.py stream WAREHOUSE DB.TABLE FROM_SNAPSHOT
      pypaimon's streaming read from snapshot FROM_SNAPSHOT to the latest (changelog files for a table with a
      changelog producer, else the delta files of APPEND snapshots), with row kinds: one JSON line per record,
      {"snapshot": N, "_kind": "+I", <columns>...}, in pypaimon's order.
  paimon_dv.py roaring-write OUT.jsonl SEED
      seeded random sets; per set one JSON line {"values": [...], "plain": hex, "optimized": hex}: pyroaring's
      portable serialization before and after run_optimize().
  paimon_dv.py roaring-read IN.jsonl
      reads lines {"hex": ...} (portable bitmaps) with pyroaring; prints {"values": [...]} per line.
"""
import json
import random
import sys

from pyroaring import BitMap

import paimon_table
import value_json


def delete_row_ids(warehouse, ident, ids):
    table = paimon_table.catalog_for(warehouse).get_table(ident)
    wb = table.new_batch_write_builder()
    messages = wb.new_update().delete_by_row_id([int(i) for i in ids])
    commit = wb.new_commit()
    try:
        commit.commit(messages)
    finally:
        commit.close()


def stream(warehouse, ident, start):
    table = paimon_table.catalog_for(warehouse).get_table(ident)
    latest = table.snapshot_manager().get_latest_snapshot()
    if latest is None or start > latest.id:
        return
    builder = table.new_stream_read_builder().with_include_row_kind(True).with_poll_interval_ms(10)
    scan = builder.new_streaming_scan()
    scan._prefetch_enabled = False  # so next_snapshot_id tells which snapshot a plan came from
    scan.next_snapshot_id = start
    read = builder.new_read()
    names = [f.name for f in table.table_schema.fields]
    precisions = paimon_table.precisions(table)
    for plan in scan.stream_sync():
        snapshot_id = scan.next_snapshot_id - 1
        arrow = read.to_arrow(plan.splits())
        if arrow is not None and arrow.num_rows > 0:
            kinds = arrow.column("_row_kind").to_pylist()
            rows = value_json.table_rows(arrow.select(names), precisions)
            for kind, row in zip(kinds, rows):
                sys.stdout.write(paimon_table._line({"snapshot": snapshot_id, "_kind": kind, **row}) + "\n")
        if snapshot_id >= latest.id:
            break


def roaring_write(path, seed):
    rng = random.Random(seed)
    with open(path, "w") as out:
        for round_ in range(40):
            shape = round_ % 4
            count = rng.randint(0, 20000 if shape == 3 else 3000)
            if shape == 0:
                values = [rng.randint(0, 2**32 - 1) for _ in range(count)]
            elif shape == 1:
                values = [rng.randint(0, 199999) for _ in range(count)]
            elif shape == 2:
                values = [rng.randint(0, 49) * 1000 + rng.randint(0, 29) for _ in range(count)]
            else:
                values = [rng.randint(0, 69999) for _ in range(count)]
            bitmap = BitMap(values)
            plain = bitmap.serialize().hex()
            bitmap.run_optimize()
            out.write(json.dumps({"values": sorted(set(values)), "plain": plain, "optimized": bitmap.serialize().hex()}) + "\n")


def roaring_read(path):
    with open(path) as f:
        for line in f:
            if line.strip():
                bitmap = BitMap.deserialize(bytes.fromhex(json.loads(line)["hex"]))
                sys.stdout.write(json.dumps({"values": list(bitmap)}) + "\n")


def main():
    command = sys.argv[1]
    if command == "delete-row-ids":
        delete_row_ids(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif command == "stream":
        stream(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif command == "roaring-write":
        roaring_write(sys.argv[2], int(sys.argv[3]))
    elif command == "roaring-read":
        roaring_read(sys.argv[2])
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main()
