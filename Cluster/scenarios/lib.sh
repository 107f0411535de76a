# Shared by the fault scenarios in Cluster/scenarios (sourced, not run). A scenario brings up a network-namespace
# cluster (Cluster/netns-cluster) in a fresh work directory, writes its input with an independent expectation
# (Python computes the merged rows of the input: per key the last row in file order, deletes remove the key),
# runs a job, strikes once the job's progress (`weir jobs show`) says it is mid-job, waits for the job, and
# compares the table (`weir table scan`) with the expectation. Exit 0 only when everything matched; on failure the
# work directory is kept and the tails of the cluster's logs are printed.
# The weir executable is $WEIR_BIN, or else the debug build (built here).
# Workers run cluster.env's WEIR_WORKER_SLOTS tasks each (WEIR_SCENARIO_SLOTS overrides it). Task executors run
# on the worker's own threads (WeirCluster's AttemptThreads), so two CPU-bound tasks on two cores do not hold back
# the worker's heartbeats, which the short heartbeat timeout of the partition scenario depends on.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
scenario="$(basename "$0" .sh)"
if [ -z "${WEIR_BIN:-}" ]; then
  export SWIFT_DETERMINISTIC_HASHING=1
  (cd "$root" && swift build --product weir >/dev/null)
  WEIR_BIN="$(cd "$root" && swift build --show-bin-path)/weir"
fi
export WEIR_BIN
weir="$WEIR_BIN"
work="$(mktemp -d -t "weir-$scenario.XXXXXX")"
export WEIR_WAREHOUSE="file://$work/cluster/warehouse"
cluster_pid=""
started=$SECONDS
ok=false

say() { echo "[$scenario $((SECONDS - started))s] $*"; }
fail() { echo "[$scenario $((SECONDS - started))s] FAILED: $*" >&2; exit 1; }

finish() {
  local status=$?
  if [ -n "$cluster_pid" ]; then
    kill -TERM "$cluster_pid" 2>/dev/null || true
    wait "$cluster_pid" 2>/dev/null || true
  fi
  if $ok && [ "$status" = 0 ]; then
    rm -rf "$work"
    return
  fi
  echo "[$scenario] failed (status $status); work directory kept: $work" >&2
  for log in "$work/cluster.out" "$work"/cluster/*.log; do
    [ -f "$log" ] || continue
    echo "----- tail of $log" >&2
    tail -n 25 "$log" >&2
  done
  [ "$status" != 0 ] || exit 1
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Starts the cluster (Cluster/cluster.env's topology; a worker silent for HEARTBEAT_TIMEOUT_MS is dead) and points
# WEIR_COORDINATOR at it.
start_cluster() {
  local timeout_ms="${1:-10000}"
  "$root/Cluster/netns-cluster" up --dir "$work/cluster" --ready-file "$work/ready" --heartbeat-timeout-ms "$timeout_ms" \
    ${WEIR_SCENARIO_SLOTS:+--slots "$WEIR_SCENARIO_SLOTS"} \
    > "$work/cluster.out" 2>&1 &
  cluster_pid=$!
  for _ in $(seq 1 600); do
    [ -s "$work/ready" ] && break
    kill -0 "$cluster_pid" 2>/dev/null || fail "the cluster did not start"
    sleep 0.1
  done
  [ -s "$work/ready" ] || fail "the cluster was not ready within 60 s"
  WEIR_COORDINATOR="$(cat "$work/ready")"
  export WEIR_COORDINATOR
  say "cluster up at $WEIR_COORDINATOR"
}

# Netns-cluster's control commands (cut, heal, kill, start) on this scenario's cluster.
control() { "$root/Cluster/netns-cluster" "$1" "$2" --dir "$work/cluster"; }

# Writes FILES JSON Lines files of ROWS rows each into $work/input-N.jsonl, keys drawn from a range smaller than the
# rows (so keys repeat: later rows win) with one row in 40 a delete, and the merged rows they must give to
# $work/expected.jsonl. SEED makes it repeatable.
make_input() {
  local files="$1" rows="$2" seed="$3"
  python3 - "$work" "$files" "$rows" "$seed" <<'PY'
import json, random, sys
work, files, rows, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
keys = files * rows * 3 // 4
merged = {}
for f in range(files):
    with open(f"{work}/input-{f}.jsonl", "w") as out:
        for i in range(rows):
            key = rng.randrange(keys)
            if rng.randrange(40) == 0:
                out.write(json.dumps({"id": key, "_op": "-D"}) + "\n")
                merged.pop(key, None)
            else:
                row = {"id": key, "name": f"n{f}-{i}", "score": rng.randrange(1_000_000)}
                out.write(json.dumps(row) + "\n")
                merged[key] = row
with open(f"{work}/expected.jsonl", "w") as out:
    for key in sorted(merged):
        out.write(json.dumps(merged[key]) + "\n")
PY
  inputs=()
  for f in $(seq 0 $((files - 1))); do inputs+=("$work/input-$f.jsonl"); done
}

# Creates the table TABLE: id BIGINT primary key, name STRING, score BIGINT, BUCKETS buckets, and OPTIONS (JSON members,
# e.g. `"write-only": "true"`) if given.
create_table() {
  local table="$1" buckets="$2" options="${3:-}"
  printf '{"fields": [{"name": "id", "type": "BIGINT"}, {"name": "name", "type": "STRING"}, {"name": "score", "type": "BIGINT"}], "primaryKeys": ["id"], "options": {"bucket": "%s"%s}}\n' \
    "$buckets" "${options:+, $options}" > "$work/schema.json"
  "$weir" table create "$table" --schema "$work/schema.json" > /dev/null
}

# Prints FIELD of job ID (`weir jobs show`), or nothing when the coordinator does not answer.
job_field() {
  "$weir" jobs show "$1" 2>/dev/null | python3 -c "import json,sys; print(json.load(sys.stdin).get('$2', ''))" 2>/dev/null || true
}

# One line about job ID's progress: state, stage, tasks done/running of total.
job_line() {
  "$weir" jobs show "$1" 2>/dev/null | python3 -c '
import json, sys
j = json.load(sys.stdin)
state, stage, done, running, total = (j.get(k) for k in ("state", "stage", "tasksDone", "tasksRunning", "tasksTotal"))
print(f"job {state}, stage {stage}, tasks {done} done + {running} running of {total}")' 2>/dev/null || echo "(the coordinator did not answer)"
}

# The attempts each worker runs now (`weir status --json`), e.g. "worker-1 [split-00001#1] worker-2 []".
attempts_line() {
  "$weir" status --json 2>/dev/null | python3 -c '
import json, sys
workers = json.load(sys.stdin).get("workers", [])
print(" ".join(w["id"] + " [" + ",".join(a["taskId"] + "#" + str(a["attempt"]) for a in w.get("running", [])) + "]" for w in workers))' 2>/dev/null \
    || echo "(the coordinator did not answer)"
}

# Waits (up to 60 s) until job ID is mid-job: running in stage STAGE or later, at least MIN_DONE tasks done, and a
# task assigned to a worker; saves that view of the job in $work/struck.json and sets struck_task, struck_attempt
# and struck_worker to the assigned task of the latest stage with the fewest rows done. Fails when the job ends first: the fault would not
# land mid-job.
wait_mid_job() {
  local id="$1" min_done="$2" stage="${3:-1}"
  for _ in $(seq 1 600); do
    "$weir" jobs show "$id" > "$work/job.json" 2>/dev/null || true
    local answer
    answer=$(python3 - "$work/job.json" "$min_done" "$stage" <<'PY' 2>/dev/null || echo wait
import json, sys
j = json.load(open(sys.argv[1]))
# Of the latest stage's running tasks, the one with the least progress: the likeliest to be running still at the strike.
assigned = sorted((t for t in j.get("tasks") or [] if t.get("state") == "assigned" and t.get("workerId")), key=lambda t: (-t["stage"], t.get("rows", 0)))
if j.get("state") in ("succeeded", "failed", "cancelled"): print("ended " + j["state"])
elif j.get("state") == "running" and j.get("stage", 0) == int(sys.argv[3]) and j.get("tasksDone", 0) >= int(sys.argv[2]) and assigned:
    print("mid %s %s %s" % (assigned[0]["taskId"], assigned[0]["attempt"], assigned[0]["workerId"]))
else: print("wait")
PY
)
    case "$answer" in
      mid*)
        cp "$work/job.json" "$work/struck.json"
        read -r struck_task struck_attempt struck_worker <<< "${answer#mid }"
        return 0 ;;
      ended*) fail "job $id ${answer#ended } before the fault could strike: make the input bigger" ;;
    esac
    sleep 0.05
  done
  fail "job $id did not get mid-job within 60 s: $(job_line "$id")"
}

# The attempts worker VICTIM runs in the latest stage of the job as saved in FILE, one "TASK ATTEMPT" per line.
victim_attempts() {
  python3 - "$1" "$2" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
tasks = [t for t in j.get("tasks") or [] if t.get("state") == "assigned" and t.get("workerId") == sys.argv[2]]
top = max((t["stage"] for t in tasks), default=None)
for t in sorted(tasks, key=lambda t: t["taskId"]):
    if t["stage"] == top: print(t["taskId"], t["attempt"])
PY
}

# Kills a worker mid-job so that the kill surely lands on running attempts: waits until job ID is mid-job
# (`wait_mid_job ID MIN_DONE STAGE`), pauses the chosen worker (SIGSTOP: it can finish nothing more), and once two
# reads of the job a second apart agree on the attempts it still runs (results it sent before the pause have arrived),
# kills it (SIGKILL) and saves that view in $work/struck.json; sets struck_task, struck_attempt and struck_worker. When
# the paused worker runs nothing any more, it is resumed and the wait starts again (up to 20 times).
kill_worker_mid_job() {
  local id="$1" min_done="$2" stage="${3:-1}" victim before after
  for _ in $(seq 1 20); do
    wait_mid_job "$id" "$min_done" "$stage"
    victim=$struck_worker
    control pause "$victim" > /dev/null
    after=""
    for _ in $(seq 1 30); do
      sleep 1
      "$weir" jobs show "$id" > "$work/paused.json" 2>/dev/null || continue
      before=$after
      after=$(victim_attempts "$work/paused.json" "$victim")
      [ -n "$after" ] && [ "$after" = "$before" ] && break
      [ -z "$after" ] && break
    done
    if [ -n "$after" ] && [ "$after" = "$before" ]; then
      control kill "$victim" > /dev/null
      cp "$work/paused.json" "$work/struck.json"
      read -r struck_task struck_attempt <<< "$(head -n 1 <<< "$after")"
      struck_worker=$victim
      return 0
    fi
    control resume "$victim" > /dev/null
    say "$victim finished its attempts while paused; waiting for another moment to strike"
  done
  fail "job $id gave no moment to kill a worker mid-job"
}

# The job as struck (from $work/struck.json), one line: state, stage, tasks done/running/total, attempts by worker.
struck_line() {
  python3 - "$work/struck.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
tasks = j.get("tasks") or []
running = ", ".join("%s#%s on %s" % (t["taskId"], t["attempt"], t["workerId"]) for t in tasks if t.get("state") == "assigned")
print("job %s, stage %s, tasks %s done + %s running of %s (running: %s)" % (
    j.get("state"), j.get("stage"), j.get("tasksDone"), j.get("tasksRunning"), j.get("tasksTotal"), running or "-"))
PY
}

# Prints how task TASK of job ID ended: "TASK ATTEMPT WORKER STATE".
task_end() {
  "$weir" jobs show "$1" | python3 -c '
import json, sys
t = next(t for t in json.load(sys.stdin).get("tasks") or [] if t["taskId"] == sys.argv[1])
print(t["taskId"], t["attempt"], t.get("workerId"), t["state"])' "$2"
}

# Checks that the fault hit: task TASK (attempt ATTEMPT on VICTIM when struck), or another task VICTIM was running
# when struck (from $work/struck.json), was run again as a later attempt. The struck task alone is not enough: it may
# finish in the moment between reading the job and the strike, while the victim's other attempts are lost.
check_rerun() {
  local id="$1" task="$2" attempt="$3" victim="$4" end candidates t a
  candidates="$task $attempt"$'\n'$(victim_attempts "$work/struck.json" "$victim" | grep -v "^$task " || true)
  while read -r t a; do
    [ -n "$t" ] || continue
    end=$(task_end "$id" "$t")
    read -r _ end_attempt end_worker _ <<< "$end"
    # A later attempt proves the struck one was lost; it may run on the victim itself once healed or restarted.
    if [ "$end_attempt" -gt "$a" ]; then
      say "the fault hit $t: attempt $a on $victim was lost, attempt $end_attempt on $end_worker succeeded"
      return 0
    fi
    say "$t (attempt $a on $victim when struck) ended as attempt $end_attempt on $end_worker: it finished before the strike"
  done <<< "$candidates"
  fail "the fault missed: no attempt that $victim was running when struck was lost"
}

# Waits (up to TIMEOUT seconds) for job ID to end; fails unless it succeeded.
wait_job_succeeded() {
  local id="$1" timeout="${2:-120}" state=""
  for _ in $(seq 1 $((timeout * 5))); do
    state=$(job_field "$id" state)
    case "$state" in succeeded|failed|cancelled) break ;; esac
    sleep 0.2
  done
  [ "$state" = succeeded ] || fail "job $id ended $state: $(job_field "$id" message)"
  say "job $id succeeded: $(job_line "$id")"
}

# Compares the merged rows of TABLE with $work/expected.jsonl (as parsed JSON, by id).
check_table() {
  local table="$1"
  "$weir" table scan "$table" > "$work/scan.jsonl"
  python3 - "$work/expected.jsonl" "$work/scan.jsonl" <<'PY' || fail "the rows of $1 differ from the input's merged rows"
import json, sys
def rows(path):
    out = {}
    for line in open(path):
        row = json.loads(line)
        if row["id"] in out: sys.exit(f"{path}: id {row['id']} twice")
        out[row["id"]] = row
    return out
expected, actual = rows(sys.argv[1]), rows(sys.argv[2])
missing = sorted(set(expected) - set(actual))
extra = sorted(set(actual) - set(expected))
changed = sorted(k for k in set(expected) & set(actual) if expected[k] != actual[k])
if missing or extra or changed:
    print(f"expected {len(expected)} rows, read {len(actual)}: {len(missing)} missing (e.g. {missing[:3]}), "
          f"{len(extra)} extra (e.g. {extra[:3]}), {len(changed)} changed (e.g. {[(expected[k], actual[k]) for k in changed[:2]]})", file=sys.stderr)
    sys.exit(1)
print(f"{len(actual)} rows, equal to the input's merged rows")
PY
}

# Counts TABLE's snapshots of KIND (APPEND, COMPACT).
snapshots_of_kind() {
  "$weir" table snapshots "$1" --json | python3 -c '
import json, sys
print(sum(1 for line in sys.stdin if line.strip() and json.loads(line).get("commitKind") == sys.argv[1]))' "$2"
}

# Marks the scenario passed (call last).
passed() {
  ok=true
  say "PASSED in $((SECONDS - started)) s"
}
