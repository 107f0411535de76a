import Foundation
import WeirFileIO

/// How the commands reach storage: paths are URIs or local paths (relative ones against the working
/// directory), and each scheme's backend comes from one ``FileIOResolver`` configured from the environment.
struct Storage {
    let resolver = FileIOResolver(environment: ProcessInfo.processInfo.environment)

    func path(_ text: String) throws -> StoragePath {
        try StoragePath(parsingLocalOrURI: text, currentDirectory: FileManager.default.currentDirectoryPath)
    }

    func io(for path: StoragePath) throws -> any FileIO {
        try resolver.fileIO(for: path)
    }
}
