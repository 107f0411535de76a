#!/usr/bin/env bash
# Fault: while a full compaction runs (a bucket task done, others running), the coordinator is killed with SIGKILL
# and started again on the same store. The table (24 buckets, `write-only`, so writes do not compact) was written
# in one commit per input file by `weir table write`, so every bucket has one sorted run per input. The job must
# succeed with exactly one COMPACT commit of its own and the table still hold the input's merged rows.
source "$(dirname "$0")/lib.sh"
start_cluster
make_input 12 25000 23
create_table db.events 24 '"write-only": "true"'
for input in "${inputs[@]}"; do "$weir" table write db.events --input "$input" > /dev/null; done
say "db.events written in ${#inputs[@]} commits ($(wc -l < "$work/expected.jsonl") merged rows expected)"
check_table db.events
compactions=$(snapshots_of_kind db.events COMPACT)   # the writer's own compactions, if its triggers fired
id=$("$weir" submit compact db.events --full --detach)
say "compaction job $id submitted"
wait_mid_job "$id" 1
control kill coordinator
say "struck: SIGKILL the coordinator; the job then: $(struck_line)"
control start coordinator
wait_job_succeeded "$id"
check_table db.events
[ "$(snapshots_of_kind db.events COMPACT)" = $((compactions + 1)) ] ||
  fail "expected the job to add one COMPACT snapshot to the $compactions the writes made; there are $(snapshots_of_kind db.events COMPACT)"
passed
