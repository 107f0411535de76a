import Foundation
import WeirProtocol

/// Each attempt's scratch directory: `<root>/attempt-<job>-<task>-<attempt>-<random>`, created empty before the
/// attempt and removed after it. Ids come from the network, so names keep only `[A-Za-z0-9_-]` of their first 64
/// bytes (anything else becomes `_`): never `/` or `..`. ``prepare()`` removes what a killed worker left behind.
struct ScratchDirectories: Sendable {
    static let prefix = "attempt-"
    let root: String

    func prepare() throws {
        let files = FileManager.default
        try files.createDirectory(atPath: root, withIntermediateDirectories: true)
        for name in try files.contentsOfDirectory(atPath: root) where name.hasPrefix(Self.prefix) {
            try? files.removeItem(atPath: root + "/" + name)
        }
    }

    func make(for ref: TaskRef) throws -> String {
        let random = UInt32.random(in: .min ... .max)
        let path = root + "/" + Self.prefix + "\(Self.safe(ref.jobId))-\(Self.safe(ref.taskId))-\(ref.attempt)-\(String(random, radix: 16))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func safe(_ id: String) -> String {
        let mapped = id.utf8.prefix(64).map { b -> UInt8 in
            let ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
            return ok ? b : 0x5F
        }
        return mapped.isEmpty ? "_" : String(decoding: mapped, as: UTF8.self)
    }
}
