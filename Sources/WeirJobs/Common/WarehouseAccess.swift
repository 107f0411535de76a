import Foundation
import WeirFileIO
import WeirCluster
import WeirTable

/// Opens a warehouse URI (file:// or s3://, or a local path) and a table in it, with the FileIO backends configured
/// from the process environment (the same on the coordinator and every worker).
enum WarehouseAccess {
    static func warehouse(_ location: String) throws -> Warehouse {
        do {
            let root = try StoragePath(parsingLocalOrURI: location, currentDirectory: FileManager.default.currentDirectoryPath)
            return Warehouse(io: try FileIOResolver(environment: ProcessInfo.processInfo.environment).fileIO(for: root), root: root)
        } catch {
            throw TaskFailure("warehouse \(location): \(error)", retryable: false)
        }
    }

    static func table(warehouse location: String, _ name: String) async throws -> FileStoreTable {
        try await warehouse(location).table(try TableIdentifier(parsing: name))
    }

    /// The table a task was planned for, which must still have the schema `schemaId` (a task whose table changed
    /// schema during its job fails for good).
    static func table(warehouse location: String, _ name: String, schemaId: Int64) async throws -> FileStoreTable {
        let table = try await table(warehouse: location, name)
        guard table.schema.id == schemaId else {
            throw TaskFailure("\(name) changed schema (now \(table.schema.id), planned with \(schemaId)) during the job", retryable: false)
        }
        return table
    }

    /// A storage path from a URI or local path.
    static func path(_ location: String) throws -> (any FileIO, StoragePath) {
        let path = try StoragePath(parsingLocalOrURI: location, currentDirectory: FileManager.default.currentDirectoryPath)
        return (try FileIOResolver(environment: ProcessInfo.processInfo.environment).fileIO(for: path), path)
    }
}

/// The value of `body`, a ``TableError`` thrown as its ``TableError/taskFailure``.
func taskFailing<T>(_ body: () async throws(TableError) -> T) async throws -> T {
    // Through a Result: `catch let error as TableError` around typed throws crashed swiftc 6.3.1 here.
    let result: Result<T, TableError>
    do { result = .success(try await body()) } catch { result = .failure(error) }
    switch result {
    case .success(let value): return value
    case .failure(let error): throw error.taskFailure
    }
}

extension TableError {
    /// As a task failure: storage hiccups and races are worth another attempt, bad input is not.
    var taskFailure: TaskFailure {
        TaskFailure(description, retryable: kind == .io || kind == .conflict)
    }
}
