import WeirCatalog

/// An error answer of the Gravitino REST API: `{"code", "type", "message"}` with the HTTP status the Java server
/// uses for the code (spec/gravitino-api.md section 1.5).
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var code: GravitinoErrorCode
    /// The Java exception's simple name, which the Python client maps to its own exception classes.
    public var type: String
    public var message: String
    /// The HTTP status; the code's own status unless a transport rule needs another (406, 413).
    public var status: Int

    public init(_ code: GravitinoErrorCode, _ type: String, _ message: String, status: Int? = nil) {
        self.code = code
        self.type = type
        self.message = message.isEmpty ? type : message
        self.status = status ?? code.httpStatus
    }

    public var description: String { "\(code.rawValue) \(type): \(message)" }

    static func illegalArgument(_ message: String) -> APIError {
        APIError(.illegalArguments, "IllegalArgumentException", message)
    }

    /// The answer for a catalog error: the code of its kind and the exception name of its kind and subject.
    public init(_ error: CatalogError) {
        let s = error.subject
        switch error.kind {
        case .illegalArgument:
            self.init(.illegalArguments, "IllegalArgumentException", error.message)
        case .notFound:
            let names: [CatalogError.Subject: String] = [
                .metalake: "NoSuchMetalakeException", .catalog: "NoSuchCatalogException", .schema: "NoSuchSchemaException",
                .table: "NoSuchTableException", .fileset: "NoSuchFilesetException", .model: "NoSuchModelException",
                .modelVersion: "NoSuchModelVersionException", .modelVersionURI: "NoSuchModelVersionURINameException",
                .tag: "NoSuchTagException", .location: "NoSuchLocationNameException", .metadataObject: "NoSuchMetadataObjectException",
                .tagAssociation: "NoSuchTagException",
            ]
            self.init(.notFound, names[s] ?? "NotFoundException", error.message)
        case .alreadyExists:
            let names: [CatalogError.Subject: String] = [
                .metalake: "MetalakeAlreadyExistsException", .catalog: "CatalogAlreadyExistsException", .schema: "SchemaAlreadyExistsException",
                .table: "TableAlreadyExistsException", .fileset: "FilesetAlreadyExistsException", .model: "ModelAlreadyExistsException",
                .modelVersion: "ModelVersionAliasesAlreadyExistException", .tag: "TagAlreadyExistsException",
                .tagAssociation: "TagAlreadyAssociatedException",
            ]
            self.init(.alreadyExists, names[s] ?? "AlreadyExistsException", error.message)
        case .nonEmpty:
            let names: [CatalogError.Subject: String] = [
                .metalake: "NonEmptyMetalakeException", .catalog: "NonEmptyCatalogException", .schema: "NonEmptySchemaException",
            ]
            self.init(.nonEmpty, names[s] ?? "NonEmptyException", error.message)
        case .unsupported:
            self.init(.unsupportedOperation, "UnsupportedOperationException", error.message)
        case .connectionFailed:
            self.init(.connectionFailed, "ConnectionFailedException", error.message)
        case .forbidden:
            self.init(.forbidden, "ForbiddenException", error.message)
        case .notInUse:
            self.init(.notInUse, s == .metalake ? "MetalakeNotInUseException" : s == .catalog ? "CatalogNotInUseException" : "NotInUseException", error.message)
        case .inUse:
            self.init(.inUse, s == .metalake ? "MetalakeInUseException" : s == .catalog ? "CatalogInUseException" : "InUseException", error.message)
        case .unauthorized:
            self.init(.unauthorized, "UnauthorizedException", error.message)
        case .internalError:
            self.init(.internalError, "RuntimeException", error.message)
        }
    }
}
