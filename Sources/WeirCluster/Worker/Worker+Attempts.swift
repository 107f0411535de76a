import Logging
import WeirProtocol

extension Worker {
    /// Runs queued attempts as children of one task group, at most `slots` at a time, until the queue ends; then
    /// waits for the running ones.
    func runAttempts() async {
        await withDiscardingTaskGroup { group in
            for await ref in queue {
                do {
                    try await slots.acquire()
                } catch {
                    table.cancel(ref)
                    continue
                }
                guard let assignment = table.start(ref) else {
                    slots.release()
                    continue
                }
                group.addTask {
                    await self.runAttempt(assignment)
                    self.slots.release()
                }
            }
        }
    }

    /// One attempt: a fresh scratch directory, the executor (as a child task that `cancelTask` cancels), exactly
    /// one result, the directory removed.
    func runAttempt(_ assignment: TaskAssignment) async {
        let ref = assignment.task
        let table = table
        let result: TaskResult
        if let executor = executors[assignment.kind] {
            result = await execute(executor, assignment)
        } else {
            result = TaskResult(task: ref, status: .failed, result: [],
                                error: "worker \(configuration.workerId) has no executor for task kind '\(assignment.kind)'", retryable: false)
        }
        logger.debug("attempt ended", metadata: ["job": "\(ref.jobId)", "task": "\(ref.taskId)", "attempt": "\(ref.attempt)",
                                                 "status": "\(result.status)"])
        table.finish(result)
    }

    func execute(_ executor: any TaskExecutor, _ assignment: TaskAssignment) async -> TaskResult {
        let ref = assignment.task
        let table = table
        let directory: String
        do {
            directory = try scratch.make(for: ref)
        } catch {
            return TaskResult(task: ref, status: .failed, result: [], error: "cannot create a scratch directory: \(error)", retryable: true)
        }
        defer { scratch.remove(directory) }
        let context = TaskContext(
            jobId: ref.jobId, taskId: ref.taskId, attempt: ref.attempt, scratchDirectory: directory,
            progress: { rows, bytes, done, total in
                table.progress(TaskProgress(task: ref, rows: rows, bytes: bytes, unitsDone: done, unitsTotal: total), nowMs: WallClock.nowMs())
            },
            isCancelled: { table.isCancelled(ref) || Task.isCancelled })
        let spec = assignment.spec
        let execution = Task(executorPreference: threads) { try await executor.run(spec: spec, context: context) }
        table.setCanceller(ref) { execution.cancel() }
        do {
            let output = try await withTaskCancellationHandler {
                try await execution.value
            } onCancel: {
                execution.cancel()
            }
            guard output.count <= MessageLimits.documentBytesMax else {
                return TaskResult(task: ref, status: .failed, result: [],
                                  error: "the result has \(output.count) bytes, over the limit of \(MessageLimits.documentBytesMax)", retryable: false)
            }
            return TaskResult(task: ref, status: .succeeded, result: output, error: nil, retryable: false)
        } catch let failure as TaskFailure {
            if table.isCancelled(ref) { return Self.cancelled(ref) }
            return TaskResult(task: ref, status: .failed, result: [], error: failure.message, retryable: failure.retryable)
        } catch {
            if table.isCancelled(ref) || error is CancellationError { return Self.cancelled(ref) }
            return TaskResult(task: ref, status: .failed, result: [], error: "\(error)", retryable: true)
        }
    }

    static func cancelled(_ ref: TaskRef) -> TaskResult {
        TaskResult(task: ref, status: .cancelled, result: [], error: "cancelled", retryable: true)
    }
}
