import struct Foundation.Date

/// The S3 response documents Weir reads, decoded from ``S3XMLElement`` trees, and the one request document it
/// writes (CompleteMultipartUpload). Every decoder checks the root element's name and the fields it needs, and
/// throws ``FileIOError/Kind/protocolError`` naming `context` and the field otherwise.
public enum S3Documents {
    /// One object of a ListObjectsV2 page.
    public struct ListedObject: Sendable, Equatable {
        public var key: String
        public var size: Int64
        public var lastModified: Date?
        /// Without the surrounding quotes.
        public var etag: String?

        public init(key: String, size: Int64, lastModified: Date? = nil, etag: String? = nil) {
            self.key = key
            self.size = size
            self.lastModified = lastModified
            self.etag = etag
        }
    }

    /// A ListObjectsV2 result (`ListBucketResult`).
    public struct ListObjectsV2: Sendable, Equatable {
        public var objects: [ListedObject]
        /// The `CommonPrefixes/Prefix` values, each ending in the delimiter.
        public var commonPrefixes: [String]
        public var isTruncated: Bool
        /// Present exactly when ``isTruncated``.
        public var nextContinuationToken: String?

        public init(objects: [ListedObject], commonPrefixes: [String], isTruncated: Bool, nextContinuationToken: String?) {
            self.objects = objects
            self.commonPrefixes = commonPrefixes
            self.isTruncated = isTruncated
            self.nextContinuationToken = nextContinuationToken
        }
    }

    /// An S3 error document (`Error`).
    public struct ErrorDocument: Sendable, Equatable {
        public var code: String
        public var message: String
        public var requestID: String?

        public init(code: String, message: String, requestID: String? = nil) {
            self.code = code
            self.message = message
            self.requestID = requestID
        }
    }

    /// One in-progress multipart upload of a ListMultipartUploads result.
    public struct Upload: Sendable, Equatable {
        public var key: String
        public var uploadID: String

        public init(key: String, uploadID: String) {
            self.key = key
            self.uploadID = uploadID
        }
    }

    /// A ListMultipartUploads result (`ListMultipartUploadsResult`).
    public struct ListMultipartUploads: Sendable, Equatable {
        public var uploads: [Upload]
        public var isTruncated: Bool
        public var nextKeyMarker: String?
        public var nextUploadIDMarker: String?

        public init(uploads: [Upload], isTruncated: Bool, nextKeyMarker: String?, nextUploadIDMarker: String?) {
            self.uploads = uploads
            self.isTruncated = isTruncated
            self.nextKeyMarker = nextKeyMarker
            self.nextUploadIDMarker = nextUploadIDMarker
        }
    }

    /// The longest continuation token or upload id accepted from a server, in bytes.
    public static let tokenBytesMax = 4096

    public static func listObjectsV2(_ root: S3XMLElement, context: String) throws(FileIOError) -> ListObjectsV2 {
        try expectRoot(root, "ListBucketResult", context)
        var objects: [ListedObject] = []
        for entry in root.children("Contents") {
            guard let key = entry.text(of: "Key"), !key.isEmpty else { throw missing("Contents/Key", context) }
            guard let sizeText = entry.text(of: "Size"), let size = Int64(sizeText), size >= 0 else {
                throw FileIOError(.protocolError, path: context, "Contents/Size of key \(key) is not a non-negative integer")
            }
            var modified: Date?
            if let text = entry.text(of: "LastModified") {
                guard let date = S3Time.parseISO8601(text) else {
                    throw FileIOError(.protocolError, path: context, "Contents/LastModified of key \(key) is not an ISO 8601 time: \(text.prefix(40))")
                }
                modified = date
            }
            objects.append(ListedObject(key: key, size: size, lastModified: modified, etag: entry.text(of: "ETag").map(unquoteETag)))
        }
        var prefixes: [String] = []
        for group in root.children("CommonPrefixes") {
            guard let prefix = group.text(of: "Prefix"), !prefix.isEmpty else { throw missing("CommonPrefixes/Prefix", context) }
            prefixes.append(prefix)
        }
        let truncated = try bool(root.text(of: "IsTruncated") ?? "false", field: "IsTruncated", context)
        let token = root.text(of: "NextContinuationToken")
        if truncated {
            guard let token, !token.isEmpty, token.utf8.count <= tokenBytesMax else {
                throw FileIOError(.protocolError, path: context, "IsTruncated is true but NextContinuationToken is missing, empty or longer than \(tokenBytesMax) bytes")
            }
        }
        return ListObjectsV2(objects: objects, commonPrefixes: prefixes, isTruncated: truncated, nextContinuationToken: truncated ? token : nil)
    }

    public static func error(_ root: S3XMLElement, context: String) throws(FileIOError) -> ErrorDocument {
        try expectRoot(root, "Error", context)
        guard let code = root.text(of: "Code"), !code.isEmpty else { throw missing("Error/Code", context) }
        return ErrorDocument(code: code, message: root.text(of: "Message") ?? "", requestID: root.text(of: "RequestId"))
    }

    /// The `UploadId` of an `InitiateMultipartUploadResult`.
    public static func initiateMultipartUpload(_ root: S3XMLElement, context: String) throws(FileIOError) -> String {
        try expectRoot(root, "InitiateMultipartUploadResult", context)
        guard let id = root.text(of: "UploadId"), !id.isEmpty, id.utf8.count <= tokenBytesMax else {
            throw missing("InitiateMultipartUploadResult/UploadId", context)
        }
        return id
    }

    /// The ETag (without quotes) of a `CompleteMultipartUploadResult` (moto 5 names the root
    /// `CompleteMultipartUploadResponse`); empty when the server sent none (Ceph RGW 16 sends an empty one).
    public static func completeMultipartUpload(_ root: S3XMLElement, context: String) throws(FileIOError) -> String {
        if root.name != "CompleteMultipartUploadResponse" {
            try expectRoot(root, "CompleteMultipartUploadResult", context)
        }
        return unquoteETag(root.text(of: "ETag") ?? "")
    }

    public static func listMultipartUploads(_ root: S3XMLElement, context: String) throws(FileIOError) -> ListMultipartUploads {
        try expectRoot(root, "ListMultipartUploadsResult", context)
        var uploads: [Upload] = []
        for upload in root.children("Upload") {
            guard let key = upload.text(of: "Key"), !key.isEmpty else { throw missing("Upload/Key", context) }
            guard let id = upload.text(of: "UploadId"), !id.isEmpty else { throw missing("Upload/UploadId", context) }
            uploads.append(Upload(key: key, uploadID: id))
        }
        let truncated = try bool(root.text(of: "IsTruncated") ?? "false", field: "IsTruncated", context)
        let nextKey = root.text(of: "NextKeyMarker").flatMap { $0.isEmpty ? nil : $0 }
        let nextUpload = root.text(of: "NextUploadIdMarker").flatMap { $0.isEmpty ? nil : $0 }
        if truncated && nextKey == nil {
            throw FileIOError(.protocolError, path: context, "IsTruncated is true but NextKeyMarker is missing")
        }
        return ListMultipartUploads(uploads: uploads, isTruncated: truncated, nextKeyMarker: nextKey, nextUploadIDMarker: nextUpload)
    }

    /// The body of CompleteMultipartUpload: the parts in ascending part number with their ETags (quoted as the
    /// server gave them), every value escaped.
    public static func completeMultipartUploadBody(parts: [(number: Int, etag: String)]) -> [UInt8] {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for part in parts.sorted(by: { $0.number < $1.number }) {
            xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(S3XML.escape(quoteETag(part.etag)))</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        return Array(xml.utf8)
    }

    /// An ETag without its surrounding quotes (and without a weak `W/` marker).
    public static func unquoteETag(_ etag: String) -> String {
        var e = Substring(etag)
        if e.hasPrefix("W/") { e = e.dropFirst(2) }
        if e.count >= 2, e.hasPrefix("\""), e.hasSuffix("\"") { e = e.dropFirst().dropLast() }
        return String(e)
    }

    static func quoteETag(_ etag: String) -> String {
        etag.hasPrefix("\"") ? etag : "\"" + etag + "\""
    }

    private static func expectRoot(_ root: S3XMLElement, _ name: String, _ context: String) throws(FileIOError) {
        guard root.name == name else {
            throw FileIOError(.protocolError, path: context, "expected an XML <\(name)> document, got <\(root.name)>")
        }
    }

    private static func missing(_ field: String, _ context: String) -> FileIOError {
        FileIOError(.protocolError, path: context, "the response lacks \(field) (or it is empty or too long)")
    }

    private static func bool(_ text: String, field: String, _ context: String) throws(FileIOError) -> Bool {
        switch text {
        case "true": return true
        case "false": return false
        default: throw FileIOError(.protocolError, path: context, "\(field) is '\(text.prefix(20))', not true or false")
        }
    }
}
