#!/usr/bin/env bash
# Fault: while an ingest splits its input (stage 1), the worker running a split task is cut off the network (its
# bridge port down) and stays cut until the coordinator has declared it dead (heartbeat timeout), then is healed.
# The cut worker keeps running and may finish its attempt into the shared warehouse; the coordinator must use only
# the attempt it re-assigned. The task must be run again on another worker, the job succeed with one APPEND commit,
# the table hold the input's merged rows, and the healed worker connect again.
source "$(dirname "$0")/lib.sh"
start_cluster 5000
make_input 12 25000 17
create_table db.events 16
id=$("$weir" submit ingest db.events --detach --input "${inputs[@]}")
say "ingest job $id submitted ($(wc -l < "$work/expected.jsonl") merged rows expected)"
wait_mid_job "$id" 0 1
task=$struck_task attempt=$struck_attempt victim=$struck_worker
control cut "$victim"
say "struck: cut $victim running $task#$attempt off; the job then: $(struck_line)"
away=false
for _ in $(seq 1 300); do
  if ! "$weir" status --json | python3 -c '
import json, sys
sys.exit(0 if any(w["id"] == sys.argv[1] and w.get("connected") for w in json.load(sys.stdin)["workers"]) else 1)' "$victim"; then
    away=true; break
  fi
  sleep 0.1
done
$away || fail "the coordinator still counts $victim as connected 30 s after the cut"
say "the coordinator declared $victim dead ($(job_line "$id")); healing it"
control heal "$victim"
wait_job_succeeded "$id"
check_rerun "$id" "$task" "$attempt" "$victim"
check_table db.events
[ "$(snapshots_of_kind db.events APPEND)" = 1 ] || fail "expected one APPEND snapshot"
for _ in $(seq 1 300); do
  "$weir" status | grep -q "workers: 3 connected" && break
  sleep 0.1
done
"$weir" status | grep -q "workers: 3 connected" || fail "$victim did not connect again within 30 s of the heal"
say "$victim connected again"
passed
