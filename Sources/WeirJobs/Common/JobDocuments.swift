import Foundation
import WeirCluster

/// JSON documents of specs and results, with errors that say which document and what is wrong.
enum JobDocuments {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        // Encoding plain Codable structs of strings and numbers cannot fail.
        Array(try! encoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw TaskFailure("\(what) is not a valid document: \(error)", retryable: false)
        }
    }
}
