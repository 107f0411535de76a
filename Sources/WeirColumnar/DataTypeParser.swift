/// Parses the atomic type strings of Paimon schema files (`DataTypeJsonParser`): `BIGINT NOT NULL`,
/// `DECIMAL(10, 2)`, `VARCHAR(20)`, `STRING`, `TIMESTAMP(3) WITH LOCAL TIME ZONE`, `TIMESTAMP_LTZ(6)`, aliases
/// `INTEGER`, `NUMERIC`, `DEC`. Composite types (ARRAY, MAP, MULTISET, ROW) are JSON objects in schema files and
/// are built by the caller from their parts. Limit: 256 characters.
extension DataType {
    public init(parsing text: String) throws(ColumnarError) {
        guard text.utf8.count <= 256 else { throw ColumnarError("type string longer than 256 characters") }
        var rest = text.trimmingSpaces().uppercased()
        var nullable = true
        if rest.hasSuffix(" NOT NULL") {
            nullable = false
            rest = String(rest.dropLast(" NOT NULL".count)).trimmingSpaces()
        } else if rest.hasSuffix(" NULL") {
            rest = String(rest.dropLast(" NULL".count)).trimmingSpaces()
        }
        var localTimeZone = false
        if rest.hasSuffix(" WITH LOCAL TIME ZONE") {
            localTimeZone = true
            rest = String(rest.dropLast(" WITH LOCAL TIME ZONE".count)).trimmingSpaces()
        }
        // NAME or NAME(a) or NAME(a, b)
        var name = rest
        var parameters: [Int] = []
        if let open = rest.firstIndex(of: "(") {
            guard rest.hasSuffix(")") else { throw ColumnarError("type '\(text)': unbalanced parentheses") }
            name = String(rest[..<open]).trimmingSpaces()
            let inner = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
            for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
                guard let value = Int(String(part).trimmingSpaces()), value >= 0 else {
                    throw ColumnarError("type '\(text)': '\(part)' is not a non-negative number")
                }
                parameters.append(value)
            }
        }
        func one(_ defaultValue: Int) throws(ColumnarError) -> Int {
            switch parameters.count {
            case 0: return defaultValue
            case 1: return parameters[0]
            default: throw ColumnarError("type '\(text)': \(name) takes one parameter")
            }
        }
        func none() throws(ColumnarError) {
            guard parameters.isEmpty else { throw ColumnarError("type '\(text)': \(name) takes no parameters") }
        }
        let kind: Kind
        switch name {
        case "BOOLEAN": try none(); kind = .boolean
        case "TINYINT": try none(); kind = .tinyint
        case "SMALLINT": try none(); kind = .smallint
        case "INT", "INTEGER": try none(); kind = .int
        case "BIGINT": try none(); kind = .bigint
        case "FLOAT": try none(); kind = .float
        case "DOUBLE": try none(); kind = .double
        case "DECIMAL", "NUMERIC", "DEC":
            switch parameters.count {
            case 0: kind = .decimal(precision: 10, scale: 0)
            case 1: kind = .decimal(precision: parameters[0], scale: 0)
            case 2: kind = .decimal(precision: parameters[0], scale: parameters[1])
            default: throw ColumnarError("type '\(text)': DECIMAL takes at most two parameters")
            }
        case "CHAR": kind = .char(length: try one(1))
        case "VARCHAR": kind = .varchar(length: try one(1))
        case "STRING": try none(); kind = .varchar(length: DataType.lengthMax)
        case "BINARY": kind = .binary(length: try one(1))
        case "VARBINARY": kind = .varbinary(length: try one(1))
        case "BYTES": try none(); kind = .varbinary(length: DataType.lengthMax)
        case "DATE": try none(); kind = .date
        case "TIME": kind = .time(precision: try one(0))
        case "TIMESTAMP":
            let p = try one(6)
            kind = localTimeZone ? .timestampLTZ(precision: p) : .timestamp(precision: p)
        case "TIMESTAMP_LTZ": kind = .timestampLTZ(precision: try one(6))
        default:
            throw ColumnarError("type '\(text)': unknown type '\(name)'")
        }
        if localTimeZone, case .timestampLTZ = kind {} else if localTimeZone {
            throw ColumnarError("type '\(text)': WITH LOCAL TIME ZONE applies to TIMESTAMP only")
        }
        self.init(kind, nullable: nullable)
        try validate(context: "type '\(text)'")
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return String(s)
    }
}
