import WeirCatalog

extension SQLClusterStore {
    static let taskColumns = "job_id, task_id, stage, kind, spec, state, attempt, worker_id, result, error, rows_done, bytes_done, updated_ms"

    public func addTasks(jobId: String, stage: Int, _ tasks: [PlannedTask], nowMs: Int64) async throws {
        guard !tasks.isEmpty else { return }
        try await backend.transaction { tx in
            var start = 0
            while start < tasks.count {
                let chunk = tasks[start..<min(tasks.count, start + Self.insertRowsMax)]
                var binds: [SQLValue] = []
                binds.reserveCapacity(chunk.count * 11)
                for (offset, task) in chunk.enumerated() {
                    binds += [.text(jobId), .text(task.taskId), .integer(Int64(stage)), .integer(Int64(start + offset)), .text(task.kind),
                              .text(StoredBytes.encode(task.spec)), .text(TaskState.pending.rawValue), .integer(0), .integer(0), .integer(0),
                              .integer(nowMs)]
                }
                let rows = Array(repeating: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", count: chunk.count).joined(separator: ", ")
                try await tx.execute("""
                    INSERT INTO weir_tasks (job_id, task_id, stage, position, kind, spec, state, attempt, rows_done, bytes_done, updated_ms)
                    VALUES \(rows) ON CONFLICT (job_id, task_id) DO NOTHING
                    """, binds)
                start += chunk.count
            }
        }
    }

    public func tasks(jobId: String) async throws -> [TaskRecord] {
        try await backend.transaction { tx in
            try await tx.query("SELECT \(Self.taskColumns) FROM weir_tasks WHERE job_id = ? ORDER BY stage, position, task_id",
                               [.text(jobId)]).map(Self.task(row:))
        }
    }

    public func assign(jobId: String, taskId: String, workerId: String, nowMs: Int64) async throws -> UInt64? {
        let rows = try await backend.transaction { tx in
            try await tx.query("""
                UPDATE weir_tasks SET state = ?, attempt = attempt + 1, worker_id = ?, updated_ms = ?
                WHERE job_id = ? AND task_id = ? AND state = ? RETURNING attempt
                """, [.text(TaskState.assigned.rawValue), .text(workerId), .integer(nowMs), .text(jobId), .text(taskId),
                      .text(TaskState.pending.rawValue)])
        }
        return rows.first?[0].int.map { UInt64(bitPattern: $0) }
    }

    public func finish(jobId: String, taskId: String, attempt: UInt64, state: TaskState, result: [UInt8]?, error: String?,
                       nowMs: Int64) async throws -> Bool {
        precondition(state == .succeeded || state == .failed || state == .pending, "finish moves an attempt to succeeded, failed or pending, not \(state)")
        let rows = try await backend.transaction { tx in
            // A retry (pending) forgets the worker; a final state keeps who ran it.
            try await tx.query("""
                UPDATE weir_tasks SET state = ?, result = ?, error = ?, updated_ms = ?,
                    worker_id = CASE WHEN ? = 1 THEN NULL ELSE worker_id END
                WHERE job_id = ? AND task_id = ? AND attempt = ? AND state = ? RETURNING attempt
                """, [.text(state.rawValue), result.map { .text(StoredBytes.encode($0)) } ?? .null, error.map(SQLValue.text) ?? .null,
                      .integer(nowMs), .integer(state == .pending ? 1 : 0), .text(jobId), .text(taskId),
                      .integer(Int64(bitPattern: attempt)), .text(TaskState.assigned.rawValue)])
        }
        return !rows.isEmpty
    }

    public func updateProgress(jobId: String, taskId: String, attempt: UInt64, rows: UInt64, bytes: UInt64) async throws {
        try await backend.transaction { tx in
            try await tx.execute("""
                UPDATE weir_tasks SET rows_done = ?, bytes_done = ?
                WHERE job_id = ? AND task_id = ? AND attempt = ? AND state = ?
                """, [.integer(Int64(bitPattern: rows)), .integer(Int64(bitPattern: bytes)), .text(jobId), .text(taskId),
                      .integer(Int64(bitPattern: attempt)), .text(TaskState.assigned.rawValue)])
        }
    }

    public func releaseTasks(ofWorker workerId: String, nowMs: Int64) async throws -> Int {
        try await backend.transaction { tx in
            try await tx.query("""
                UPDATE weir_tasks SET state = ?, worker_id = NULL, updated_ms = ? WHERE worker_id = ? AND state = ? RETURNING task_id
                """, [.text(TaskState.pending.rawValue), .integer(nowMs), .text(workerId), .text(TaskState.assigned.rawValue)]).count
        }
    }

    public func cancelTasks(jobId: String, nowMs: Int64) async throws {
        try await backend.transaction { tx in
            try await tx.execute("UPDATE weir_tasks SET state = ?, updated_ms = ? WHERE job_id = ? AND state IN (?, ?)",
                                 [.text(TaskState.cancelled.rawValue), .integer(nowMs), .text(jobId),
                                  .text(TaskState.pending.rawValue), .text(TaskState.assigned.rawValue)])
        }
    }

    static func task(row: SQLRow) throws -> TaskRecord {
        guard row.count == 13, let jobId = row[0].string, let taskId = row[1].string, let stage = row[2].int, let kind = row[3].string,
              let spec = row[4].string.flatMap(StoredBytes.decode), let state = row[5].string.flatMap(TaskState.init(rawValue:)),
              let attempt = row[6].int, let rows = row[10].int, let bytes = row[11].int, let updated = row[12].int else {
            throw ClusterStoreError(.corrupt, "a row of weir_tasks does not decode: \(String(describing: row).prefix(200))")
        }
        var result: [UInt8]?
        if let text = row[8].string {
            guard let bytes = StoredBytes.decode(text) else { throw ClusterStoreError(.corrupt, "task \(jobId)/\(taskId): the result is not base64") }
            result = bytes
        }
        return TaskRecord(jobId: jobId, taskId: taskId, stage: Int(stage), kind: kind, spec: spec, state: state,
                          attempt: UInt64(bitPattern: attempt), workerId: row[7].string, result: result, error: row[9].string,
                          rows: UInt64(bitPattern: rows), bytes: UInt64(bitPattern: bytes), updatedMs: updated)
    }
}
