"""The peers of table-bench: pypaimon (pure Python) and pypaimon-rust (the Rust core behind Python bindings).

  make ROWS UPDATES BASE.parquet UPDATES.parquet
      writes the benchmark input with pyarrow (seeded): BASE holds ROWS rows (id BIGINT 0..ROWS-1, k STRING of 16
      characters, v DOUBLE, payload STRING of 100 characters); UPDATES holds UPDATES distinct ids drawn from BASE,
      shuffled, with new k, v and payload.
  expect BASE.parquet UPDATES.parquet
      prints the checksum a correct merged read gives (rows, sum of ids, sum of floor(v * 1e6)), as one JSON line.
  time pypaimon|rust BASE.parquet UPDATES.parquet SCRATCH RUNS
      times the three steps of the benchmark with one peer, best of RUNS (a fresh warehouse each run): `load`
      (write BASE into a new primary-key table with 4 buckets, one commit), `update` (write UPDATES, one commit)
      and `read` (plan and read every column of the merged table into memory); prints JSON lines like
      table-bench, with the read's checksum and this process's peak resident memory.

The table is created before the clock starts (pypaimon's filesystem catalog; pypaimon-rust has no create-table
call, so its table is created the same way and opened through pypaimon-rust's own catalog). Both write Parquet
with zstd level 1 (Paimon's default), as Weir does.
"""
import json, os, resource, shutil, sys, time
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

OPTIONS = {"bucket": "4", "file.format": "parquet", "file.compression": "zstd", "file.compression.zstd-level": "1"}
ALPHABET = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)


def strings(rng, rows, pieces):
    k = ALPHABET[rng.integers(0, len(ALPHABET), size=(rows, 16))].view("S16").ravel()
    # 100-character payloads: 6 random 16-character pieces of a small set joined, plus 4 (pieces repeat, as text does).
    picks = rng.integers(0, len(pieces), size=(rows, 6))
    payload = pieces[picks[:, 0]]
    for j in range(1, 6):
        payload = np.char.add(payload, pieces[picks[:, j]])
    payload = np.char.add(payload, b"0123")
    return (pa.array(k.astype(object)).cast(pa.string()), pa.array(payload.astype(object)).cast(pa.string()))


def make(rows, updates, base_path, updates_path):
    rng = np.random.default_rng(20261121)
    pieces = ALPHABET[rng.integers(0, len(ALPHABET), size=(4096, 16))].view("S16").ravel()
    k, payload = strings(rng, rows, pieces)
    base = pa.table({"id": pa.array(np.arange(rows, dtype=np.int64)), "k": k, "v": pa.array(rng.random(rows) * 1000.0),
                     "payload": payload})
    ids = rng.choice(rows, size=updates, replace=False).astype(np.int64)
    k, payload = strings(rng, updates, pieces)
    upd = pa.table({"id": pa.array(ids), "k": k, "v": pa.array(rng.random(updates) * 1000.0 + 1000.0), "payload": payload})
    pq.write_table(base, base_path, compression="zstd", compression_level=1)
    pq.write_table(upd, updates_path, compression="zstd", compression_level=1)


def checksum(table):
    ids = table.column("id").to_numpy()
    v = table.column("v").to_numpy()
    return {"rows": table.num_rows, "id_sum": int(ids.sum()), "v_micros_sum": int(np.floor(v * 1e6).astype(np.int64).sum())}


def expect(base_path, updates_path):
    base = pq.read_table(base_path)
    upd = pq.read_table(updates_path)
    ids = base.column("id").to_numpy()
    v = base.column("v").to_numpy().copy()
    position = {int(i): n for n, i in enumerate(ids)}
    for i, value in zip(upd.column("id").to_numpy(), upd.column("v").to_numpy()):
        v[position[int(i)]] = value
    print(json.dumps({"op": "expect", **checksum(pa.table({"id": ids, "v": v}))}))


def create_table(warehouse):
    from pypaimon import CatalogFactory, Schema
    catalog = CatalogFactory.create({"warehouse": warehouse})
    catalog.create_database("bench", True)
    schema = Schema.from_pyarrow_schema(pa.schema([("id", pa.int64()), ("k", pa.string()), ("v", pa.float64()),
                                                   ("payload", pa.string())]),
                                        primary_keys=["id"], options=OPTIONS)
    catalog.create_table("bench.t", schema, False)
    return catalog.get_table("bench.t")


class PyPaimon:
    name = "pypaimon"

    def __init__(self, warehouse):
        self.table = create_table(warehouse)

    def write(self, data):
        builder = self.table.new_batch_write_builder()
        write = builder.new_write()
        write.write_arrow(data)
        messages = write.prepare_commit()
        commit = builder.new_commit()
        commit.commit(messages)
        write.close()
        commit.close()

    def read(self):
        builder = self.table.new_read_builder()
        splits = builder.new_scan().plan().splits()
        return builder.new_read().to_arrow(splits)


class PyPaimonRust:
    name = "pypaimon-rust"

    def __init__(self, warehouse):
        create_table(warehouse)
        from pypaimon_rust.datafusion import PaimonCatalog
        self.table = PaimonCatalog({"warehouse": warehouse}).get_table("bench.t")

    def write(self, data):
        builder = self.table.new_batch_write_builder()
        write = builder.new_write()
        for batch in data.to_batches():
            write.write_arrow(batch)
        messages = write.prepare_commit()
        commit = builder.new_commit()
        commit.commit(messages)
        write.close()
        commit.close()

    def read(self):
        builder = self.table.new_read_builder()
        splits = builder.new_scan().plan().splits()
        return pa.Table.from_batches(builder.new_read().read(splits))


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed(peer_name, base_path, updates_path, scratch, runs):
    base = pq.read_table(base_path)
    upd = pq.read_table(updates_path)
    peer_type = PyPaimon if peer_name == "pypaimon" else PyPaimonRust
    best = {"load": (float("inf"), 0.0), "update": (float("inf"), 0.0), "read": (float("inf"), 0.0)}
    result = None
    for run in range(runs):
        warehouse = os.path.join(scratch, f"{peer_name}-warehouse")
        shutil.rmtree(warehouse, ignore_errors=True)
        peer = peer_type(warehouse)
        for step, body in (("load", lambda: peer.write(base)), ("update", lambda: peer.write(upd)), ("read", peer.read)):
            start, cpu_start = time.perf_counter(), cpu_seconds()
            out = body()
            wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu_start
            if wall < best[step][0]:
                best[step] = (wall, cpu)
            if step == "read":
                result = out
        del peer
    shutil.rmtree(os.path.join(scratch, f"{peer_name}-warehouse"), ignore_errors=True)
    for step in ("load", "update"):
        print(json.dumps({"op": step, "seconds": best[step][0], "cpu_seconds": best[step][1]}))
    print(json.dumps({"op": "read", "seconds": best["read"][0], "cpu_seconds": best["read"][1], **checksum(result)}))
    print(json.dumps({"op": "peak_rss_mib", "value": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5])
    elif sys.argv[1] == "expect":
        expect(sys.argv[2], sys.argv[3])
    else:
        timed(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], int(sys.argv[6]))
