import Foundation
import WeirCatalog

/// Decoding of request bodies with errors that name the member and the problem, as 400 answers.
enum JSONBody {
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], what: String) throws -> T {
        guard !bytes.isEmpty else { throw APIError.illegalArgument("the \(what) request needs a JSON body") }
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw APIError.illegalArgument("malformed \(what) request: \(describe(error))")
        } catch {
            throw APIError.illegalArgument("malformed \(what) request: \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, what: String) throws -> T {
        let data = try JSONEncoder().encode(value)
        return try decode(type, from: Array(data), what: what)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return p.isEmpty ? "the body" : "'\(p)'"
        }
        switch error {
        case .typeMismatch(let type, let context): return "\(path(context)) must be \(name(type)): \(context.debugDescription)"
        case .valueNotFound(let type, let context): return "\(path(context)) must be \(name(type)), not null"
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "'\(key.stringValue)' is missing" + (parent == "the body" ? "" : " in \(parent)")
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func name(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Int64.Type: return "an integer"
        default:
            let text = String(describing: type)
            if text.hasPrefix("Dictionary") { return "an object" }
            if text.hasPrefix("Array") { return "an array" }
            return "of type \(text)"
        }
    }
}
