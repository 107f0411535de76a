import Foundation

/// A fresh directory for one test under the package's `.test-scratch/` (git-ignored), removed by ``remove()``.
public struct Scratch: Sendable {
    public let path: String

    public init(_ name: String = "t") throws {
        let root = FileManager.default.currentDirectoryPath + "/.test-scratch"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        path = root + "/" + name + "-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
