/// Rules for the names of catalog objects (metalakes, catalogs, schemas, tables, columns, filesets, models,
/// aliases, tags, location and URI names) and for property keys and values.
///
/// A name is 1 to ``nameBytesMax`` UTF-8 bytes, not blank, and holds no `/`, no `..`, and no control character,
/// so it can never act as a path segment that escapes its parent.
public enum Names {
    /// The longest name, in UTF-8 bytes.
    public static let nameBytesMax = 256
    /// The longest comment, in UTF-8 bytes.
    public static let commentBytesMax = 16 << 10
    /// The most properties one object may carry.
    public static let propertiesCountMax = 256
    /// The longest property key, in UTF-8 bytes.
    public static let propertyKeyBytesMax = 256
    /// The longest property value, in UTF-8 bytes.
    public static let propertyValueBytesMax = 8 << 10

    /// Checks a name; the error names `what` (`metalake name`, `column name`, ...).
    public static func validate(_ name: String, what: String) throws {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.contains(where: { $0 != 0x20 }) else {
            throw CatalogError(.illegalArgument, .other, "the \(what) must not be empty or blank")
        }
        guard bytes.count <= nameBytesMax else {
            throw CatalogError(.illegalArgument, .other, "the \(what) '\(name.prefix(40))…' is longer than \(nameBytesMax) bytes")
        }
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            throw CatalogError(.illegalArgument, .other, "the \(what) holds a control character")
        }
        if bytes.contains(0x2f) {
            throw CatalogError(.illegalArgument, .other, "the \(what) '\(name)' holds a '/'")
        }
        if name.contains("..") {
            throw CatalogError(.illegalArgument, .other, "the \(what) '\(name)' holds '..'")
        }
    }

    /// Checks an optional comment.
    public static func validate(comment: String?, of what: String) throws {
        guard let comment else { return }
        guard comment.utf8.count <= commentBytesMax else {
            throw CatalogError(.illegalArgument, .other, "the comment of the \(what) is longer than \(commentBytesMax) bytes")
        }
    }

    /// Checks a property map: count, key and value sizes, no control characters in keys.
    public static func validate(properties: [String: String], of what: String) throws {
        guard properties.count <= propertiesCountMax else {
            throw CatalogError(.illegalArgument, .other, "the \(what) has \(properties.count) properties, more than \(propertiesCountMax)")
        }
        for (key, value) in properties {
            try validate(propertyKey: key, of: what)
            guard value.utf8.count <= propertyValueBytesMax else {
                throw CatalogError(.illegalArgument, .other, "the value of property '\(key)' of the \(what) is longer than \(propertyValueBytesMax) bytes")
            }
        }
    }

    /// Checks one property key.
    public static func validate(propertyKey key: String, of what: String) throws {
        guard !key.isEmpty, key.utf8.count <= propertyKeyBytesMax else {
            throw CatalogError(.illegalArgument, .other, "a property key of the \(what) is empty or longer than \(propertyKeyBytesMax) bytes")
        }
        if key.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) {
            throw CatalogError(.illegalArgument, .other, "a property key of the \(what) holds a control character")
        }
    }
}
