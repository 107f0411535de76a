#!/usr/bin/env bash
# Fault: while an ingest writes its buckets (stage 2, some write tasks done and some running), the coordinator is
# killed with SIGKILL and started again on the same SQLite store. It reloads the job, the workers reconnect, and the
# job must succeed with exactly one APPEND commit and the table hold the input's merged rows.
source "$(dirname "$0")/lib.sh"
start_cluster
make_input 12 25000 5
create_table db.events 16
id=$("$weir" submit ingest db.events --detach --input "${inputs[@]}")
say "ingest job $id submitted ($(wc -l < "$work/expected.jsonl") merged rows expected)"
wait_mid_job "$id" 13 2
control kill coordinator
say "struck: SIGKILL the coordinator; the job then: $(struck_line)"
control start coordinator
wait_job_succeeded "$id"
check_table db.events
[ "$(snapshots_of_kind db.events APPEND)" = 1 ] || fail "expected one APPEND snapshot"
passed
