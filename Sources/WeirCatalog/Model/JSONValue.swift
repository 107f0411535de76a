import Foundation

/// A JSON document held as a value: what the catalog keeps verbatim where Gravitino's wire format is open-ended
/// (column types, expressions, partitioning transforms). Integral numbers stay exact as ``int(_:)``.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The deepest nesting accepted when decoding, so hostile input cannot exhaust the stack.
    public static let depthMax = 64

    public init(from decoder: any Decoder) throws {
        guard decoder.codingPath.count <= Self.depthMax else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "JSON nested deeper than \(Self.depthMax) levels"))
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let value = try? container.decode(Bool.self) { self = .bool(value); return }
        if let value = try? container.decode(Int64.self) { self = .int(value); return }
        if let value = try? container.decode(Double.self) { self = .double(value); return }
        if let value = try? container.decode(String.self) { self = .string(value); return }
        if let value = try? container.decode([JSONValue].self) { self = .array(value); return }
        if let value = try? container.decode([String: JSONValue].self) { self = .object(value); return }
        // Decode once more without `try?` so a nested error (too deep, say) surfaces with its path.
        _ = try container.decode([String: JSONValue].self)
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a JSON value"))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .double(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The string, for ``string(_:)``.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The integer, for ``int(_:)``.
    public var intValue: Int64? { if case .int(let v) = self { return v } else { return nil } }
    /// The boolean, for ``bool(_:)``.
    public var boolValue: Bool? { if case .bool(let v) = self { return v } else { return nil } }
    /// The elements, for ``array(_:)``.
    public var arrayValue: [JSONValue]? { if case .array(let v) = self { return v } else { return nil } }
    /// The members, for ``object(_:)``.
    public var objectValue: [String: JSONValue]? { if case .object(let v) = self { return v } else { return nil } }
    /// True for ``null``.
    public var isNull: Bool { self == .null }

    /// The member `key` of an object; nil for a missing member or a non-object.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }
}

/// JSON encoding and decoding of catalog values with the settings every store and the REST layer share.
public enum CatalogJSON {
    /// Encodes `value` as compact JSON text with sorted keys (stable for comparisons and storage).
    public static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Decodes `text`, naming `what` in the error.
    public static func decode<T: Decodable>(_ type: T.Type, from text: String, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw CatalogError(.internalError, .other, "stored \(what) is not valid JSON for \(T.self): \(error)")
        }
    }
}
