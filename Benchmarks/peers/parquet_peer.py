"""The peer of parquet-bench. `make ROWS PATH` writes the benchmark table (id BIGINT, v DOUBLE, k STRING of 16
characters, payload STRING of 100 characters; seeded) with pyarrow; `time PATH SCRATCH RUNS` times pyarrow's
single-threaded write and full read (into memory, every column) of the same data, best of RUNS (wall-clock and
process CPU seconds), and prints JSON lines like parquet-bench (with pyarrow's peak resident memory).

The write uses the settings WeirParquet's defaults have (ParquetWriteOptions): zstd level 1, dictionary encoding
with fallback to PLAIN past a 1 MiB dictionary page, 1 MiB data pages, data page v1, statistics, no page checksums
and no page index. Row groups differ in how they are cut (pyarrow by rows, 1 Mi; Weir by bytes, 128 MiB)."""
import json, resource, sys, time
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

pa.set_cpu_count(1)
pa.set_io_thread_count(1)


def make(rows, path):
    rng = np.random.default_rng(20261121)
    ids = np.arange(rows, dtype=np.int64)
    values = rng.random(rows) * 1000.0
    alphabet = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)
    k = alphabet[rng.integers(0, len(alphabet), size=(rows, 16))].view("S16").ravel()
    # 100-character payloads: 8 random 16-character pieces joined, cut to 100 (pieces repeat, as real text does).
    pieces = alphabet[rng.integers(0, len(alphabet), size=(4096, 16))].view("S16").ravel()
    picks = rng.integers(0, len(pieces), size=(rows, 7))
    payload = np.char.add(np.char.add(pieces[picks[:, 0]], pieces[picks[:, 1]]), pieces[picks[:, 2]])
    for j in range(3, 7):
        payload = np.char.add(payload, pieces[picks[:, j]])
    payload = np.char.add(payload, b"0123")
    table = pa.table({
        "id": pa.array(ids),
        "v": pa.array(values),
        "k": pa.array(k.astype(object)).cast(pa.string()),
        "payload": pa.array(payload.astype(object)).cast(pa.string()),
    })
    pq.write_table(table, path, compression="zstd", compression_level=1, use_dictionary=True)


def timed(path, scratch, runs):
    table = pq.read_table(path, use_threads=False)
    out = scratch + "/pyarrow-written.parquet"
    best_write = best_read = (float("inf"), float("inf"))

    def timed(body):
        wall, cpu = time.perf_counter(), time.process_time()
        result = body()
        return (time.perf_counter() - wall, time.process_time() - cpu), result

    def best(a, b):
        return (min(a[0], b[0]), min(a[1], b[1]))

    for _ in range(runs):
        t, _ = timed(lambda: pq.write_table(
            table, out, compression="zstd", compression_level=1, use_dictionary=True,
            dictionary_pagesize_limit=1 << 20, data_page_size=1 << 20, data_page_version="1.0",
            write_statistics=True, write_page_checksum=False, write_page_index=False))
        best_write = best(best_write, t)
    for _ in range(runs):
        t, read = timed(lambda: pq.read_table(out, use_threads=False))
        best_read = best(best_read, t)
    assert read.num_rows == table.num_rows
    import os
    print(json.dumps({"op": "write", "seconds": best_write[0], "cpu_seconds": best_write[1], "rows": table.num_rows,
                      "bytes": os.path.getsize(out)}))
    print(json.dumps({"op": "read", "seconds": best_read[0], "cpu_seconds": best_read[1], "rows": table.num_rows}))
    print(json.dumps({"op": "peak_rss_mib", "value": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


if sys.argv[1] == "make":
    make(int(sys.argv[2]), sys.argv[3])
else:
    timed(sys.argv[2], sys.argv[3], int(sys.argv[4]))
