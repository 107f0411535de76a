import Foundation
import WeirFileIO

/// Where a fileset's files are: the storage-location algorithm of Gravitino's fileset catalog
/// (spec/gravitino-api.md section 6, "Fileset location algorithm"), and the resolution of sub-paths for the
/// file-location endpoint. Pure: no I/O.
public enum FilesetLocations {
    /// The catalog property of the unnamed (`unknown`) base location, and the prefix of named ones.
    public static let locationProperty = "location"
    public static let locationPropertyPrefix = "location-"
    /// The fileset property prefix that supplies `{{x}}` placeholders.
    public static let placeholderPropertyPrefix = "placeholder-"
    /// The longest sub-path accepted, in UTF-8 bytes.
    public static let subPathBytesMax = 4096
    /// The longest location, in UTF-8 bytes.
    public static let locationBytesMax = 4096

    /// The named base locations a set of properties declares (`location` → `unknown`, `location-x` → `x`).
    public static func baseLocations(_ properties: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in properties where !value.trimmingCharacters(in: .whitespaces).isEmpty {
            if key == locationProperty {
                out[Fileset.unknownLocationName] = value
            } else if key.hasPrefix(locationPropertyPrefix), key.count > locationPropertyPrefix.count {
                out[String(key.dropFirst(locationPropertyPrefix.count))] = value
            }
        }
        return out
    }

    /// The storage locations and properties of a new fileset.
    ///
    /// - Returns: the normalised locations by name, and `properties` with `default-location-name` filled in.
    /// - Throws: illegalArgument for an external fileset without locations, no locations at all, an unknown or
    ///   empty placeholder, or a `default-location-name` that names no location.
    public static func resolve(catalog: String, catalogProperties: [String: String], schema: String, schemaProperties: [String: String],
                               fileset: String, type: FilesetType, requested: [String: String],
                               properties: [String: String]) throws -> (locations: [String: String], properties: [String: String]) {
        for (name, location) in requested {
            try Names.validate(name, what: "storage location name")
            try validateLocationText(location)
        }
        if type == .external && requested.isEmpty {
            throw CatalogError(.illegalArgument, .fileset, "external fileset \(fileset) needs a storage location")
        }
        var schemaBases: [String: String] = [:]
        for (name, base) in baseLocations(catalogProperties) {
            schemaBases[name] = hasPlaceholder(base) ? base : trimmedSlash(base) + "/" + schema
        }
        for (name, base) in baseLocations(schemaProperties) { schemaBases[name] = base }

        let substitutions = try placeholderValues(catalog: catalog, schema: schema, fileset: fileset, properties: properties)
        var locations: [String: String] = [:]
        for name in Set(schemaBases.keys).union(requested.keys) {
            let location: String
            if let given = requested[name], !given.isEmpty {
                location = hasPlaceholder(given) ? try substitute(given, substitutions) : given
            } else if let base = schemaBases[name] {
                location = hasPlaceholder(base) ? try substitute(base, substitutions) : trimmedSlash(base) + "/" + fileset
            } else {
                continue
            }
            try validateLocationText(location)
            locations[name] = normalise(location)
        }
        guard !locations.isEmpty else {
            throw CatalogError(.illegalArgument, .fileset, "fileset \(fileset) has no storage location: the catalog and schema location are not set and the request names none")
        }
        var properties = properties
        let key = Fileset.defaultLocationNameProperty
        if locations.count == 1 {
            let only = locations.keys.first!
            if let given = properties[key], given != only {
                throw CatalogError(.illegalArgument, .fileset, "\(key) '\(given)' of fileset \(fileset) is not its location name '\(only)'")
            }
            properties[key] = only
        } else {
            guard let given = properties[key], locations[given] != nil else {
                throw CatalogError(.illegalArgument, .fileset, "fileset \(fileset) has several locations (\(locations.keys.sorted().joined(separator: ", "))), so the property \(key) must name one of them")
            }
        }
        return (locations, properties)
    }

    /// Hadoop-style qualification: a bare absolute path or `file:///p` becomes `file:/p`; trailing slashes go;
    /// other schemes are kept as they are.
    public static func normalise(_ location: String) -> String {
        var text = location.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("/") {
            text = "file:" + text
        } else if text.hasPrefix("file://") {
            text = "file:" + String(text.dropFirst("file://".count))
        }
        if text.hasPrefix("file:") {
            var path = String(text.dropFirst("file:".count))
            while path.hasPrefix("//") { path.removeFirst() }
            text = "file:" + path
        }
        while text.hasSuffix("/") && !text.hasSuffix(":/") && !text.hasSuffix("://") { text.removeLast() }
        return text
    }

    /// The Weir FileIO path of a normalised location (`file:/p` → `file:///p`); nil for schemes Weir has no
    /// backend for (`hdfs://`, `gs://`, ...).
    public static func storagePath(of location: String) throws -> StoragePath? {
        if location.hasPrefix("file:") {
            return try StoragePath(parsing: "file://" + String(location.dropFirst("file:".count)))
        }
        if location.hasPrefix("memory://") || location.hasPrefix("s3://") {
            return try StoragePath(parsing: location)
        }
        if location.hasPrefix("s3a://") {
            return try StoragePath(parsing: "s3://" + String(location.dropFirst("s3a://".count)))
        }
        return nil
    }

    /// The file location for `subPath` under `location` (spec section 6, "GET …/location"): a blank sub-path
    /// gives the location itself; otherwise `location` without trailing `/` plus the sub-path with a leading `/`.
    ///
    /// - Throws: illegalArgument when the sub-path could leave the location: a `..` or `.` segment, a backslash,
    ///   a control character, a scheme (`x://`, `file:`), a percent-encoded `.`, `/` or `\`, or more than
    ///   ``subPathBytesMax`` bytes.
    public static func fileLocation(_ location: String, subPath raw: String) throws -> String {
        let subPath = raw.trimmingCharacters(in: .whitespaces)
        if subPath.isEmpty { return location }
        try validateSubPath(subPath)
        let prefixed = subPath.hasPrefix("/") ? subPath : "/" + subPath
        return trimmedSlash(location) + prefixed
    }

    /// Checks a sub-path (see ``fileLocation(_:subPath:)``).
    public static func validateSubPath(_ subPath: String) throws {
        func bad(_ why: String) -> CatalogError {
            CatalogError(.illegalArgument, .fileset, "the sub-path '\(subPath.prefix(200))' \(why)")
        }
        guard subPath.utf8.count <= subPathBytesMax else { throw bad("is longer than \(subPathBytesMax) bytes") }
        if subPath.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) { throw bad("holds a control character") }
        if subPath.contains("\\") { throw bad("holds a backslash") }
        if subPath.contains("://") || subPath.lowercased().hasPrefix("file:") { throw bad("names a scheme; it must be relative to the fileset") }
        let lowered = subPath.lowercased()
        for encoded in ["%2e", "%2f", "%5c", "%00", "%25"] where lowered.contains(encoded) {
            throw bad("holds the percent-encoded '\(encoded)', which could hide a path step")
        }
        for segment in subPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst(subPath.hasPrefix("/") ? 1 : 0) {
            if segment == ".." || segment == "." { throw bad("holds a '\(segment)' segment and could leave the fileset") }
        }
        if subPath.hasPrefix("//") { throw bad("starts with '//'") }
    }

    // MARK: - Internals

    static func validateLocationText(_ location: String) throws {
        guard location.utf8.count <= locationBytesMax, !location.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) else {
            throw CatalogError(.illegalArgument, .fileset, "a storage location must be at most \(locationBytesMax) bytes without control characters")
        }
        let path = location.replacingOccurrences(of: "://", with: "/")
        if path.split(separator: "/").contains("..") {
            throw CatalogError(.illegalArgument, .fileset, "the storage location '\(location.prefix(200))' holds a '..' segment")
        }
    }

    static func hasPlaceholder(_ text: String) -> Bool {
        guard let open = text.range(of: "{{") else { return false }
        return text[open.upperBound...].contains("}}")
    }

    static func trimmedSlash(_ text: String) -> String {
        var t = text
        while t.hasSuffix("/") && t.count > 1 { t.removeLast() }
        return t
    }

    static func placeholderValues(catalog: String, schema: String, fileset: String, properties: [String: String]) throws -> [String: String] {
        var values = ["catalog": catalog, "schema": schema, "fileset": fileset]
        for (key, value) in properties where key.hasPrefix(placeholderPropertyPrefix) {
            values[String(key.dropFirst(placeholderPropertyPrefix.count))] = value
        }
        return values
    }

    static func substitute(_ template: String, _ values: [String: String]) throws -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespaces)
            guard let value = values[name], !value.isEmpty else {
                throw CatalogError(.illegalArgument, .fileset, "the placeholder {{\(name)}} in '\(template.prefix(200))' has no value (set the fileset property \(placeholderPropertyPrefix)\(name))")
            }
            guard !value.contains("/"), value != "..", value != "." else {
                throw CatalogError(.illegalArgument, .fileset, "the placeholder {{\(name)}} has the value '\(value.prefix(100))', which is not a single path segment")
            }
            out += value
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }
}
