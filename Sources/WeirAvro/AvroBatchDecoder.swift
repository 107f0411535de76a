import WeirColumnar

/// Decodes container blocks straight into ``ColumnBatch``es: one ``AvroColumnReader`` per column, built once from
/// the writer's schema and the row type to produce, reused for every block (see `AvroColumnReaders.swift`).
///
/// The row type is either the file's own (``AvroSchema/paimonRowType()``, optionally projected to some top-level
/// fields by name) or a `readType` the caller gives (Paimon reading a data file with the table's schema). Fields are
/// matched by name; writer fields not read are skipped; read fields the file lacks must be nullable and read as
/// null. What a column of each type can be read from (anything else is refused when the decoder is built):
///
/// | column | Avro |
/// | --- | --- |
/// | BOOLEAN | boolean |
/// | TINYINT, SMALLINT, INT | int (range-checked) |
/// | BIGINT | int, long |
/// | FLOAT, DOUBLE | float, double (DOUBLE also from float), int, long |
/// | DECIMAL(p, s) | bytes or fixed with decimal(p', s') where s' ≤ s (rescaled; precision checked per value) |
/// | CHAR, VARCHAR | string, bytes, enum (UTF-8 checked) |
/// | BINARY, VARBINARY | bytes, string, fixed |
/// | DATE | int + date |
/// | TIME | int + time-millis, long + time-micros (truncated to ms) |
/// | TIMESTAMP(p), TIMESTAMP_LTZ(p) | long + any (local-)timestamp-millis/micros/nanos, converted to the unit of p |
/// | ARRAY | array |
/// | MAP<K, V> | map (K CHAR/VARCHAR), or array of records with `key` and `value` fields |
/// | ROW | record (by field name) |
///
/// Unions `["null", T]`, `[T, "null"]` and `[T]` read as T (null where the column is nullable; a null in a NOT NULL
/// column is an error when it is met). MULTISET columns cannot be read from Avro.
final class AvroBatchDecoder {
    let rowType: RowType
    let writerSchema: AvroSchema
    let limits: AvroLimits
    let file: String
    private let root: AvroColumnReader
    private let rowReader: AvroRowColumnReader
    private let datumBytesMin: Int
    private let skipper: AvroSkipper

    /// `projection`: top-level field names to keep, in that order (nil: all); `readType`: the row type to produce
    /// (nil: the file's own). Both given: the projection picks from `readType`.
    init(writerSchema: AvroSchema, readType: RowType? = nil, projection: [String]? = nil, limits: AvroLimits = .default,
         file: String = "") throws(AvroError) {
        self.writerSchema = writerSchema
        self.limits = limits
        self.file = file
        var compiler = try AvroResolutionCompiler(writer: writerSchema, reader: writerSchema, source: file)
        var target: RowType
        do throws(AvroError) {
            if let readType { target = readType } else { target = try writerSchema.paimonRowType() }
        } catch {
            throw AvroError(file: file, location: error.location, "the file's schema has no row type: \(error.message)")
        }
        if let projection {
            var fields: [DataField] = []
            for name in projection {
                guard let field = target.fields.first(where: { $0.name == name }) else {
                    throw AvroError(file: file, "projected field '\(name)' is not in the row type \(target.fieldNames)")
                }
                guard !fields.contains(where: { $0.name == name }) else { throw AvroError(file: file, "field '\(name)' is projected twice") }
                fields.append(field)
            }
            target = RowType(fields)
        }
        do {
            try target.validate()
        } catch {
            throw AvroError(file: file, "invalid row type: \(error.description)")
        }
        self.rowType = target
        // The skipper's program is filled in below, once every skip node is compiled.
        let skipper = AvroSkipper(program: AvroReadProgram(nodes: [], root: 0, datumBytesMin: 0), limits: limits)
        var top = compiler.writerNames.resolve(writerSchema)
        var topUnion: (nullBranch: Int, valueBranch: Int)? = nil
        if case .union(let branches) = top.kind, branches.count == 2, branches[0].kind == .null {
            top = compiler.writerNames.resolve(branches[1])
            topUnion = (0, 1)
        }
        guard case .record(let record) = top.kind else {
            throw AvroError(file: file, "the file's schema is a \(top.typeName), not a record")
        }
        let rowReader = try Self.row(record, target: DataType(.row(fields: target.fields), nullable: false), compiler: &compiler,
                                     skipper: skipper, limits: limits, path: "", file: file)
        self.rowReader = rowReader
        if let topUnion {
            root = AvroNullableColumnReader(inner: rowReader, nullBranch: topUnion.nullBranch, valueBranch: topUnion.valueBranch,
                                            branchCount: 2, path: "top-level record")
        } else {
            root = rowReader
        }
        datumBytesMin = compiler.bytesMin(writerSchema)
        skipper.program = AvroReadProgram(nodes: compiler.nodes, root: 0, datumBytesMin: 0)
        self.skipper = skipper
    }

    /// Decodes every record of `block` into one batch.
    func decode(_ block: AvroBlock) throws(AvroError) -> ColumnBatch {
        try AvroFileReader.checkRecordCount(block, datumBytesMin: datumBytesMin, limits: limits, file: file)
        let location = "block \(block.index) at byte \(block.offset)"
        do throws(AvroError) {
            try decodeRecords(block, location: location)
        } catch {
            // Drop what the failed block left in the readers, so the decoder stays consistent.
            _ = rowReader.children.map { $0.finish() }
            rowReader.rows = 0
            rowReader.validity = nil
            throw error
        }
        let columns = rowReader.children.map { $0.finish() }
        rowReader.rows = 0
        rowReader.validity = nil
        let batch = ColumnBatch(schema: rowType, columns: columns)
        do {
            try batch.validate()
        } catch {
            throw AvroError(file: file, location: location, "decoded columns are inconsistent: \(error.description)")
        }
        return batch
    }

    private func decodeRecords(_ block: AvroBlock, location: String) throws(AvroError) {
        try withAvroBytes(block.data) { (raw) throws(AvroError) in
            var cursor = AvroCursor(raw)
            cursor.zeroByteItemsBudget = limits.zeroByteRecordsPerBlockMax
            for index in 0..<block.recordCount {
                do throws(AvroError) {
                    // A nullable top-level union refuses nulls: the top-level row type is NOT NULL.
                    if root === rowReader { try rowReader.readFields(&cursor) } else { try root.read(&cursor) }
                } catch {
                    throw AvroError(file: file, location: "\(location), record \(index), \(error.location) of the block", error.message)
                }
            }
            guard cursor.isAtEnd else {
                throw AvroError(file: file, location: location, "\(cursor.remaining) bytes left after the block's \(block.recordCount) records")
            }
        }
    }

    // MARK: building the readers

    static func row(_ record: AvroRecordSchema, target: DataType, compiler: inout AvroResolutionCompiler, skipper: AvroSkipper,
                    limits: AvroLimits, path: String, file: String) throws(AvroError) -> AvroRowColumnReader {
        guard case .row(let fields) = target.kind else { throw AvroError(file: file, location: path, "not a row") }
        var children: [AvroColumnReader?] = Array(repeating: nil, count: fields.count)
        var steps: [AvroBatchFieldStep] = []
        for writerField in record.fields {
            if let index = fields.firstIndex(where: { $0.name == writerField.name }), children[index] == nil {
                let childPath = path.isEmpty ? writerField.name : path + "." + writerField.name
                children[index] = try column(writerField.type, target: fields[index].type, compiler: &compiler, skipper: skipper,
                                             limits: limits, path: childPath, file: file)
                steps.append(.child(index))
            } else {
                steps.append(.skip(compiler.skip(writerField.type)))
            }
        }
        var missing: [Int] = []
        var readers: [AvroColumnReader] = []
        for (index, field) in fields.enumerated() {
            if let child = children[index] {
                readers.append(child)
            } else {
                let childPath = path.isEmpty ? field.name : path + "." + field.name
                guard field.type.isNullable else {
                    throw AvroError(file: file, location: childPath, "NOT NULL field '\(field.name)' is not in the file")
                }
                readers.append(try placeholder(field.type, path: childPath, file: file, limits: limits, skipper: skipper))
                missing.append(index)
            }
        }
        return AvroRowColumnReader(type: target, children: readers, steps: steps, missing: missing, skipper: skipper)
    }

    /// A reader that is only ever given null slots (a field the file lacks): any reader of the column's type.
    static func placeholder(_ type: DataType, path: String, file: String, limits: AvroLimits, skipper: AvroSkipper) throws(AvroError) -> AvroColumnReader {
        switch type.kind {
        case .boolean: return AvroBooleanColumnReader(type: type)
        case .tinyint: return AvroInt8ColumnReader(type: type)
        case .smallint: return AvroInt16ColumnReader(type: type)
        case .int, .date, .time: return AvroInt32ColumnReader(type: type, source: .int)
        case .bigint, .timestamp, .timestampLTZ: return AvroInt64ColumnReader(type: type, source: .long)
        case .float: return AvroFloat32ColumnReader(type: type, source: .float)
        case .double: return AvroFloat64ColumnReader(type: type, source: .double)
        case .decimal(let p, _): return AvroDecimalColumnReader(type: type, precision: p, fixedSize: nil, scaleUp: 0)
        case .char, .varchar, .binary, .varbinary:
            return AvroBytesColumnReader(type: type, source: .lengthPrefixed, validateUTF8: false)
        case .array(let e), .multiset(let e):
            return AvroListColumnReader(type: type, element: try placeholder(e, path: path, file: file, limits: limits, skipper: skipper),
                                        itemBytesMin: 1, limits: limits)
        case .map(let k, let v):
            return AvroMapColumnReader(type: type, keys: try placeholder(k, path: path, file: file, limits: limits, skipper: skipper),
                                       values: try placeholder(v, path: path, file: file, limits: limits, skipper: skipper),
                                       entry: .mapEntry, itemBytesMin: 1, limits: limits, skipper: skipper)
        case .row(let fields):
            var children: [AvroColumnReader] = []
            for field in fields { children.append(try placeholder(field.type, path: path, file: file, limits: limits, skipper: skipper)) }
            return AvroRowColumnReader(type: type, children: children, steps: [], missing: Array(children.indices), skipper: skipper)
        }
    }

    /// The reader of column type `target` from writer type `schemaIn`.
    static func column(_ schemaIn: AvroSchema, target: DataType, compiler: inout AvroResolutionCompiler, skipper: AvroSkipper,
                       limits: AvroLimits, path: String, file: String) throws(AvroError) -> AvroColumnReader {
        let schema = compiler.writerNames.resolve(schemaIn)
        func refuse(_ detail: String = "") -> AvroError {
            let logical = schema.logicalType.map { " (\($0.name))" } ?? ""
            return AvroError(file: file, location: path, "Avro \(schema.fullName ?? schema.typeName)\(logical) cannot be read as \(target)" + detail)
        }
        if case .union(let branches) = schema.kind {
            let nulls = branches.indices.filter { branches[$0].kind == .null }
            let values = branches.indices.filter { branches[$0].kind != .null }
            guard nulls.count <= 1, values.count == 1 else {
                throw AvroError(file: file, location: path, "a union of \(branches.map { $0.fullName ?? $0.typeName }) cannot be read as a column (only [\"null\", T] can)")
            }
            let inner = try column(branches[values[0]], target: target, compiler: &compiler, skipper: skipper, limits: limits, path: path, file: file)
            return AvroNullableColumnReader(inner: inner, nullBranch: nulls.first, valueBranch: values[0],
                                            branchCount: branches.count, path: path)
        }
        let logical = schema.logicalType
        switch (target.kind, schema.kind) {
        case (.boolean, .boolean):
            return AvroBooleanColumnReader(type: target)
        case (.tinyint, .int):
            return AvroInt8ColumnReader(type: target)
        case (.smallint, .int):
            return AvroInt16ColumnReader(type: target)
        case (.int, .int):
            return AvroInt32ColumnReader(type: target, source: .int)
        case (.date, .int) where logical == .date:
            return AvroInt32ColumnReader(type: target, source: .int)
        case (.time, .int) where logical == .timeMillis:
            return AvroInt32ColumnReader(type: target, source: .int, timeOfDay: true)
        case (.time, .long) where logical == .timeMicros:
            return AvroInt32ColumnReader(type: target, source: .longDividedBy(1000), timeOfDay: true)
        case (.bigint, .long):
            return AvroInt64ColumnReader(type: target, source: .long)
        case (.bigint, .int):
            return AvroInt64ColumnReader(type: target, source: .int)
        case (.timestamp(let p), .long), (.timestampLTZ(let p), .long):
            let writerUnitsPerSecond: Int64
            switch logical {
            case .timestampMillis?, .localTimestampMillis?: writerUnitsPerSecond = 1_000
            case .timestampMicros?, .localTimestampMicros?: writerUnitsPerSecond = 1_000_000
            case .timestampNanos?, .localTimestampNanos?: writerUnitsPerSecond = 1_000_000_000
            default: throw refuse(": a long needs a timestamp logical type")
            }
            let columnUnitsPerSecond: Int64 = p <= 3 ? 1_000 : p <= 6 ? 1_000_000 : 1_000_000_000
            let source: AvroIntegerSource
            if writerUnitsPerSecond == columnUnitsPerSecond {
                source = .long
            } else if writerUnitsPerSecond < columnUnitsPerSecond {
                source = .longTimes(columnUnitsPerSecond / writerUnitsPerSecond)
            } else {
                source = .longDividedBy(writerUnitsPerSecond / columnUnitsPerSecond)
            }
            return AvroInt64ColumnReader(type: target, source: source)
        case (.float, .float): return AvroFloat32ColumnReader(type: target, source: .float)
        case (.float, .int): return AvroFloat32ColumnReader(type: target, source: .int)
        case (.float, .long): return AvroFloat32ColumnReader(type: target, source: .long)
        case (.double, .double): return AvroFloat64ColumnReader(type: target, source: .double)
        case (.double, .float): return AvroFloat64ColumnReader(type: target, source: .float)
        case (.double, .int): return AvroFloat64ColumnReader(type: target, source: .int)
        case (.double, .long): return AvroFloat64ColumnReader(type: target, source: .long)
        case (.decimal(let p, let s), .bytes), (.decimal(let p, let s), .fixed):
            guard case .decimal(_, let writerScale)? = logical else { throw refuse(": the Avro type has no decimal logical type") }
            guard writerScale <= s else { throw refuse(": scale \(writerScale) would lose digits") }
            var fixedSize: Int? = nil
            if case .fixed(let f) = schema.kind { fixedSize = f.size }
            return AvroDecimalColumnReader(type: target, precision: p, fixedSize: fixedSize, scaleUp: s - writerScale)
        case (.char, .string), (.varchar, .string), (.char, .bytes), (.varchar, .bytes):
            return AvroBytesColumnReader(type: target, source: .lengthPrefixed, validateUTF8: true)
        case (.char, .enumeration(let e)), (.varchar, .enumeration(let e)):
            return AvroBytesColumnReader(type: target, source: .enumeration(e.symbols.map { Array($0.utf8) }), validateUTF8: false)
        case (.binary, .bytes), (.varbinary, .bytes), (.binary, .string), (.varbinary, .string):
            return AvroBytesColumnReader(type: target, source: .lengthPrefixed, validateUTF8: false)
        case (.binary, .fixed(let f)), (.varbinary, .fixed(let f)):
            return AvroBytesColumnReader(type: target, source: .fixed(f.size), validateUTF8: false)
        case (.array(let element), .array(let items)):
            let child = try column(items, target: element, compiler: &compiler, skipper: skipper, limits: limits, path: path + "[]", file: file)
            return AvroListColumnReader(type: target, element: child, itemBytesMin: compiler.bytesMin(items), limits: limits)
        case (.map(let k, let v), .map(let values)):
            guard k.isCharacterString else { throw refuse(": an Avro map has string keys") }
            let keys = AvroBytesColumnReader(type: k, source: .lengthPrefixed, validateUTF8: true)
            let valueReader = try column(values, target: v, compiler: &compiler, skipper: skipper, limits: limits, path: path + ".value", file: file)
            return AvroMapColumnReader(type: target, keys: keys, values: valueReader, entry: .mapEntry,
                                       itemBytesMin: 1 + compiler.bytesMin(values), limits: limits, skipper: skipper)
        case (.map(let k, let v), .array(let items)):
            guard case .record(let entry) = compiler.writerNames.resolve(items).kind,
                  let keyIndex = entry.index(of: "key"), let valueIndex = entry.index(of: "value") else {
                throw refuse(": the array's items are not records with key and value fields")
            }
            let keys = try column(entry.fields[keyIndex].type, target: k, compiler: &compiler, skipper: skipper, limits: limits, path: path + ".key", file: file)
            let valueReader = try column(entry.fields[valueIndex].type, target: v, compiler: &compiler, skipper: skipper, limits: limits, path: path + ".value", file: file)
            var steps: [AvroBatchFieldStep] = []
            for (index, field) in entry.fields.enumerated() {
                if index == keyIndex { steps.append(.child(0)) } else if index == valueIndex { steps.append(.child(1)) } else { steps.append(.skip(compiler.skip(field.type))) }
            }
            return AvroMapColumnReader(type: target, keys: keys, values: valueReader, entry: .record(steps),
                                       itemBytesMin: compiler.bytesMin(items), limits: limits, skipper: skipper)
        case (.row, .record(let r)):
            return try row(r, target: target, compiler: &compiler, skipper: skipper, limits: limits, path: path, file: file)
        default:
            throw refuse()
        }
    }
}
