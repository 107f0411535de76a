/// A catalog of a metalake.
public struct CatalogPath: Sendable, Hashable, CustomStringConvertible {
    public var metalake: String
    public var catalog: String
    public init(_ metalake: String, _ catalog: String) {
        self.metalake = metalake
        self.catalog = catalog
    }
    public var description: String { "\(metalake).\(catalog)" }
}

/// A schema of a catalog.
public struct SchemaPath: Sendable, Hashable, CustomStringConvertible {
    public var catalogPath: CatalogPath
    public var schema: String
    public init(_ metalake: String, _ catalog: String, _ schema: String) {
        self.catalogPath = CatalogPath(metalake, catalog)
        self.schema = schema
    }
    public var metalake: String { catalogPath.metalake }
    public var catalog: String { catalogPath.catalog }
    public var description: String { "\(catalogPath).\(schema)" }
}

/// A table, fileset or model of a schema.
public struct ObjectPath: Sendable, Hashable, CustomStringConvertible {
    public var schemaPath: SchemaPath
    public var name: String
    public init(_ metalake: String, _ catalog: String, _ schema: String, _ name: String) {
        self.schemaPath = SchemaPath(metalake, catalog, schema)
        self.name = name
    }
    public init(_ schemaPath: SchemaPath, _ name: String) {
        self.schemaPath = schemaPath
        self.name = name
    }
    public var description: String { "\(schemaPath).\(name)" }
}

/// A model version named by number or by alias.
public enum ModelVersionRef: Sendable, Hashable, CustomStringConvertible {
    case version(Int)
    case alias(String)
    public var description: String {
        switch self {
        case .version(let v): return "version \(v)"
        case .alias(let a): return "alias \(a)"
        }
    }
}
