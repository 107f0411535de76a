"""The cluster ingest benchmark of `Benchmarks/run cluster`: real `weir coordinator` and `weir worker` processes on
loopback against `weir table write` in one process, same input, same machine, same run.

  make ROWS ROW_GROUP_ROWS INPUT.parquet
      writes the input with pyarrow (seeded, zstd level 1): ROWS rows of id BIGINT (0..ROWS-1), k STRING of 16
      characters, v DOUBLE, payload STRING of 100 characters (the rows of `Benchmarks/run table`), in row groups of
      ROW_GROUP_ROWS rows.
  expect INPUT.parquet
      prints the checksum a correct read of the ingested table gives (rows, sum of ids, sum of floor(v * 1e6)).
  time WEIR INPUT.parquet SCRATCH RUNS ROUNDS SLOTS WORKERS...
      for ROUNDS rounds: RUNS runs of `weir table write` (one process), then for each count in WORKERS a fresh
      cluster (a coordinator on SQLite and that many workers of SLOTS slots each, all on free loopback ports) and
      RUNS runs of `weir submit ingest` of the same input (the default mode, direct for this input); a count written
      N:shuffle runs `weir submit ingest --mode shuffle` instead. Every run writes into a new 16-bucket primary-key table
      (created before the clock starts); the clock runs from starting the `weir` command to its exit (what a user
      waits for). Every run's table is read back with `weir table scan` and its checksum printed. Prints one JSON
      line per run: {"config", "round", "run", "seconds", "job_seconds" (cluster: the coordinator's job record,
      submission to commit), "rows", "id_sum", "v_micros_sum", "load"}.
  report EXPECT.jsonl TIMES.jsonl SLOTS
      prints each configuration's best run side by side: rows/s, the ratio to one worker and to one process, and
      whether every run's checksum equals the expected one (exit status 1 if not).

The table: id BIGINT primary key, k STRING, v DOUBLE, payload STRING; 16 buckets; Paimon's defaults otherwise
(Parquet, zstd level 1).
"""
import json, os, shutil, signal, socket, subprocess, sys, time, urllib.request

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from table_peer import checksum, strings, ALPHABET

SCHEMA = {"fields": [{"name": "id", "type": "BIGINT"}, {"name": "k", "type": "STRING"}, {"name": "v", "type": "DOUBLE"},
                     {"name": "payload", "type": "STRING"}], "primaryKeys": ["id"], "options": {"bucket": "16"}}
SECRET = b"cluster-bench-secret-0123456789abcdef"
START_TIMEOUT_S = 60
JOB_TIMEOUT_S = 1800


def make(rows, row_group_rows, path):
    rng = np.random.default_rng(20261207)
    pieces = ALPHABET[rng.integers(0, len(ALPHABET), size=(4096, 16))].view("S16").ravel()
    k, payload = strings(rng, rows, pieces)
    table = pa.table({"id": pa.array(np.arange(rows, dtype=np.int64)), "k": k, "v": pa.array(rng.random(rows) * 1000.0),
                      "payload": payload})
    pq.write_table(table, path, compression="zstd", compression_level=1, row_group_size=row_group_rows)


def expect(path):
    print(json.dumps({"op": "expect", **checksum(pq.read_table(path, columns=["id", "v"]))}))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, timeout=JOB_TIMEOUT_S):
    """Runs a command to completion; raises with its output when it fails."""
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited with {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


class Cluster:
    """A coordinator and `workers` workers, started on free loopback ports and stopped by PID."""

    def __init__(self, weir, scratch, warehouse, workers, slots):
        self.weir, self.scratch, self.processes = weir, scratch, []
        self.worker_port, self.http_port = free_port(), free_port()
        self.http = f"http://127.0.0.1:{self.http_port}"
        secret = os.path.join(scratch, "secret")
        with open(secret, "wb") as f:
            f.write(SECRET)
        self.start("coordinator", [weir, "coordinator", "--listen", f"127.0.0.1:{self.worker_port}", "--http",
                                   f"127.0.0.1:{self.http_port}", "--store", f"sqlite:{scratch}/state.db", "--warehouse", warehouse,
                                   "--secret-file", secret, "--log-level", "warning"])
        self.wait(lambda status: True, "the coordinator did not answer")
        for i in range(workers):
            self.start(f"worker-{i}", [weir, "worker", "--coordinator", f"127.0.0.1:{self.worker_port}", "--secret-file", secret,
                                       "--slots", str(slots), "--scratch", f"{scratch}/worker-{i}", "--id", f"worker-{i}",
                                       "--log-level", "warning"])
        self.wait(lambda status: sum(1 for w in status.get("workers", []) if w.get("connected")) == workers,
                  f"{workers} workers did not connect")

    def start(self, name, args):
        log = open(os.path.join(self.scratch, name + ".log"), "wb")
        self.processes.append(subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))

    def status(self):
        with urllib.request.urlopen(self.http + "/status", timeout=5) as answer:
            return json.load(answer)

    def wait(self, ready, what):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if any(p.poll() is not None for p in self.processes):
                raise RuntimeError(f"{what}: a process exited; logs in {self.scratch}")
            try:
                if ready(self.status()):
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError(f"{what} within {START_TIMEOUT_S} s; logs in {self.scratch}")

    def stop(self):
        for p in reversed(self.processes):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in reversed(self.processes):
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def read_back(weir, warehouse, table, scratch):
    """The checksum of the table as `weir table scan` reads it (projected to id and v, written as Parquet)."""
    out = os.path.join(scratch, "scan.parquet")
    run([weir, "table", "scan", table, "--warehouse", warehouse, "--select", "id,v", "--format", "parquet", "--output", out])
    result = checksum(pq.read_table(out))
    os.remove(out)
    return result


def timed(weir, input_path, scratch, runs, rounds, slots, worker_counts):
    scratch = os.path.abspath(scratch)
    schema_path = os.path.join(scratch, "schema.json")
    with open(schema_path, "w") as f:
        json.dump(SCHEMA, f)
    input_uri = "file://" + os.path.abspath(input_path)
    for round_ in range(rounds):
        for config in ["single"] + [f"workers-{n.replace(':', '-')}" for n in worker_counts]:  # "2:shuffle" -> "workers-2-shuffle"
            work = os.path.join(scratch, f"cluster-{config}")
            shutil.rmtree(work, ignore_errors=True)
            os.makedirs(work)
            warehouse = "file://" + os.path.join(work, "warehouse")
            cluster = None if config == "single" else Cluster(weir, work, warehouse, int(config.split("-")[1]), slots)
            try:
                for r in range(runs):
                    table = f"bench.t{r}"
                    run([weir, "table", "create", table, "--schema", schema_path, "--warehouse", warehouse])
                    load = os.getloadavg()[0]
                    start = time.perf_counter()
                    if cluster is None:
                        run([weir, "table", "write", table, "--warehouse", warehouse, "--input", input_uri])
                        job_seconds = None
                    else:
                        mode = ["--mode", "shuffle"] if config.endswith("-shuffle") else []
                        done = run([weir, "submit", "ingest", table, "--json", "--input", input_uri, "--coordinator-http", cluster.http] + mode)
                    seconds = time.perf_counter() - start
                    if cluster is not None:
                        job = json.loads(done.stdout)
                        if job.get("state") != "succeeded":
                            raise RuntimeError(f"job {job.get('id')}: {job}")
                        job_seconds = (job["updatedMs"] - job["createdMs"]) / 1000
                    print(json.dumps({"config": config, "round": round_, "run": r, "seconds": seconds, "job_seconds": job_seconds,
                                      "load": load, **read_back(weir, warehouse, table, work)}), flush=True)
            finally:
                if cluster is not None:
                    cluster.stop()
            shutil.rmtree(work, ignore_errors=True)


def report(expect_path, times_path, slots):
    want = json.loads(open(expect_path).readline())
    runs = [json.loads(line) for line in open(times_path)]
    keys = ("rows", "id_sum", "v_micros_sum")
    bad = [r for r in runs if any(r[k] != want[k] for k in keys)]
    best = {}
    for r in runs:
        if r["config"] not in best or r["seconds"] < best[r["config"]]["seconds"]:
            best[r["config"]] = r
    rows = want["rows"]
    per_config = max(sum(1 for r in runs if r["config"] == c) for c in best)
    loads = [r["load"] for r in runs]
    print(f"{rows:,} rows (one Parquet file) into a 16-bucket primary-key table; wall-clock seconds of the `weir` command,"
          f" best of {per_config} runs; workers with {slots} slot(s) each; load average (1 min) during the runs"
          f" {min(loads):.2f}..{max(loads):.2f} on {os.cpu_count()} cores")
    single = best["single"]["seconds"]
    one = best.get("workers-1", {}).get("seconds")
    print(f"{'configuration':22} {'seconds':>8} {'job s':>7} {'rows/s':>11} {'vs 1 worker':>12} {'vs 1 process':>13}")
    for config, r in sorted(best.items(), key=lambda item: (item[0] != "single", item[0].endswith("-shuffle"),
                                                            int(item[0].split("-")[1]) if item[0] != "single" else 0)):
        name = "weir table write" if config == "single" else f"cluster, {config.split('-')[1]} worker(s)" + (", shuffle" if config.endswith("-shuffle") else "")
        job = f"{r['job_seconds']:7.2f}" if r["job_seconds"] is not None else f"{'-':>7}"
        scaling = f"{one / r['seconds']:12.2f}" if one and config != "single" else f"{'-':>12}"
        print(f"{name:22} {r['seconds']:8.2f} {job} {rows / r['seconds']:11,.0f} {scaling} {single / r['seconds']:13.2f}")
    print(f"read-back checksum of every run (rows {want['rows']:,}, sum(id) {want['id_sum']}, sum(floor(v * 1e6)) "
          f"{want['v_micros_sum']}): " + ("all equal" if not bad else f"{len(bad)} runs differ: {bad}"))
    two = best.get("workers-2", {}).get("seconds")
    if two:
        print("target (2 workers no slower than one process): " + ("met" if two <= single else f"missed ({two:.2f} s vs {single:.2f} s)"))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
    elif sys.argv[1] == "expect":
        expect(sys.argv[2])
    elif sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        timed(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]),
              sys.argv[8:])
