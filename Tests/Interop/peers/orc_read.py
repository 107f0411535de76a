"""Reads ORC files with pyarrow.orc and prints their rows as JSON lines in Weir's value encoding.

usage: orc_read.py FILE [PRECISIONS_JSON]          rows, one JSON object per line, on standard output
       orc_read.py --each PRECISIONS_JSON FILE...   the rows of each FILE into FILE.jsonl
       orc_read.py --meta FILE...                   one JSON object per file: compression, stripes, rows, writer

PRECISIONS_JSON maps top-level column names to their Paimon TIMESTAMP precision (6 or 9 fractional digits)."""
import json
import sys

import pyarrow.orc as orc

import value_json


def writer(f):
    try:
        return f.writer
    except ValueError:  # pyarrow 19 raises for writer codes it does not know (Weir's is unregistered)
        return "unregistered"


def meta(path):
    f = orc.ORCFile(path)
    return {
        "compression": f.compression,
        "compression_size": f.compression_size,
        "stripes": f.nstripes,
        "rows": f.nrows,
        "writer": writer(f),
        "writer_version": f.writer_version,
        "software_version": f.software_version,
        "file_version": f.file_version,
        "row_index_stride": f.row_index_stride,
        "schema": str(f.schema),
        "stripe_rows": [f.read_stripe(i).num_rows for i in range(f.nstripes)],
    }


def main():
    if sys.argv[1] == "--each":
        precisions = json.loads(sys.argv[2])
        for path in sys.argv[3:]:
            table = orc.ORCFile(path).read()
            with open(path + ".jsonl", "w") as out:
                value_json.dump_jsonl(value_json.table_rows(table, precisions), out)
    elif sys.argv[1] == "--meta":
        for path in sys.argv[2:]:
            print(json.dumps(meta(path)))
    else:
        precisions = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
        table = orc.ORCFile(sys.argv[1]).read()
        value_json.dump_jsonl(value_json.table_rows(table, precisions), sys.stdout)


if __name__ == "__main__":
    main()
