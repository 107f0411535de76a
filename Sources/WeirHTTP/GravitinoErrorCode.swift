/// The `code` values of Gravitino error responses and the HTTP status the Java server uses for each
/// (spec/gravitino-api.md section 1.5). The Python client maps on `code`, then on the exception `type` name.
public enum GravitinoErrorCode: Int, Sendable, CaseIterable {
    case restError = 1000
    case illegalArguments = 1001
    case internalError = 1002
    case notFound = 1003
    case alreadyExists = 1004
    case nonEmpty = 1005
    case unsupportedOperation = 1006
    case connectionFailed = 1007
    case forbidden = 1008
    case notInUse = 1009
    case inUse = 1010
    case unauthorized = 1011
    case unknown = 1100

    /// The HTTP status the Java server sends with this code.
    public var httpStatus: Int {
        switch self {
        case .restError, .illegalArguments: return 400
        case .internalError, .unknown: return 500
        case .notFound: return 404
        case .alreadyExists, .nonEmpty, .notInUse, .inUse: return 409
        case .unsupportedOperation: return 405
        case .connectionFailed: return 502
        case .forbidden: return 403
        case .unauthorized: return 401
        }
    }
}
