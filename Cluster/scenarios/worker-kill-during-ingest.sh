#!/usr/bin/env bash
# Fault: while an ingest splits its input (stage 1, the first wave of split tasks done), the worker running the split task with the
# least progress is paused, then killed with SIGKILL while it still holds running attempts. (The write tasks of stage 2 last about a second each on this input, less
# than it takes to see one running and strike.) Its attempt goes back to the queue when its connection drops; the
# task must be run again on another worker, the job succeed with exactly one APPEND commit, and the table hold the
# input's merged rows.
source "$(dirname "$0")/lib.sh"
start_cluster
make_input 12 25000 11
create_table db.events 16
id=$("$weir" submit ingest db.events --detach --input "${inputs[@]}")
say "ingest job $id submitted ($(wc -l < "$work/expected.jsonl") merged rows expected)"
# 12 split tasks on 6 slots: strike once the first 6 are done, while the second wave runs. The victim is paused first
# and killed only while the coordinator still sees it running attempts it can no longer finish (struck straight away,
# its attempts could all finish in the moment between reading the job and the SIGKILL landing).
kill_worker_mid_job "$id" 6 1
task=$struck_task attempt=$struck_attempt victim=$struck_worker
say "struck: SIGKILL $victim (paused) running $task#$attempt; the job then: $(struck_line)"
wait_job_succeeded "$id"
check_rerun "$id" "$task" "$attempt" "$victim"
check_table db.events
[ "$(snapshots_of_kind db.events APPEND)" = 1 ] || fail "expected one APPEND snapshot"
passed
