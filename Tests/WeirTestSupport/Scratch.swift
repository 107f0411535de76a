import Foundation

/// A fresh directory for one test under `<package root>/.test-scratch/` (git-ignored), removed by ``remove()``.
public struct Scratch: Sendable {
    public let path: String

    public init(_ name: String = "t") throws {
        path = try PackageRoot.makeScratchDirectory(name)
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
