/// Why a catalog operation failed, in terms the REST layer maps to Gravitino's error codes and exception
/// types (spec/gravitino-api.md section 1.5): what kind of failure, which kind of object, and a message
/// naming it.
public struct CatalogError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable {
        case illegalArgument, notFound, alreadyExists, nonEmpty, unsupported, connectionFailed
        case forbidden, notInUse, inUse, unauthorized, internalError
    }

    /// The kind of object concerned.
    public enum Subject: String, Sendable {
        case metalake, catalog, schema, table, fileset, model, modelVersion, tag, location, metadataObject, other
        /// A model version's URI name (`NoSuchModelVersionURINameException`).
        case modelVersionURI
        /// A tag's association with an object (`TagAlreadyAssociatedException`).
        case tagAssociation
    }

    public var kind: Kind
    public var subject: Subject
    public var message: String

    public init(_ kind: Kind, _ subject: Subject, _ message: String) {
        self.kind = kind
        self.subject = subject
        self.message = message
    }

    public var description: String { message }
}
