/// Schema resolution (Avro 1.11, "Schema Resolution"), compiled once into a program of ``AvroReadProgram/Node``s
/// that ``AvroDatumReader`` runs for every datum. Reading with the writer's own schema is the same program with
/// the writer schema on both sides.
///
/// Rules, with where they differ from the specification (to read what Paimon's writers produce, as Paimon's
/// own `FieldReaderFactory` does):
/// - Same primitive types match. Promotions: int → long, float, double; long → float, double; float → double;
///   string ↔ bytes.
/// - Records match records **whatever their names** (Java Paimon and pypaimon name the same records differently).
///   Fields match by name, or by a reader field's alias naming the writer field. Writer fields the reader lacks
///   are skipped. A reader field the writer lacks takes its default; without a default it reads as null when
///   its type is `null` or a union with `null`, and otherwise the resolution fails.
/// - Enums match enums: a writer symbol the reader lacks reads as the reader's default symbol, or fails when
///   such a value is met. Fixed matches fixed of the same size; arrays and maps match by their item/value types.
/// - Writer union: each branch is resolved against the reader (a union's branch, or the reader type itself);
///   a branch that cannot be resolved fails only when a value of it is met.
/// - Reader union, writer not: the first reader branch of the same type (for named types: same full or simple
///   name, or an alias) wins; failing that, the first branch the writer type can be read as.
/// - Anything else fails when the program is compiled, naming the JSON path of the reader type.
struct AvroReadProgram: Sendable {
    enum Node: Sendable {
        case null
        case boolean, int, long, float, double, bytes, string
        case intAsLong, intAsFloat, intAsDouble, longAsFloat, longAsDouble, floatAsDouble
        case stringAsBytes, bytesAsString
        case fixed(size: Int)
        /// Writer symbol index → reader symbol (nil: no such symbol and no default; the writer's symbol is kept for
        /// the message).
        case enumeration(readerSymbols: [String?], writerSymbols: [String])
        case array(item: Int, itemBytesMin: Int)
        case map(value: Int, valueBytesMin: Int)
        case record(steps: [FieldStep], defaults: [(index: Int, value: AvroValue)], fieldCount: Int)
        /// Writer union: per writer branch, the node that reads it and the reader union branch to wrap it in
        /// (nil: the reader is not a union); a nil entry means that branch cannot be read (message kept).
        case writerUnion(branches: [UnionBranch?], failures: [String?])
        /// Writer not a union, reader a union: read with `node`, wrap in `.union(branch, ...)`.
        case readerUnion(branch: Int, node: Int)
        // Skipping writer data the reader does not want.
        case skipBytesFixed(Int)
        case skipVarint
        case skipBoolean
        case skipLengthPrefixed
        case skipArray(item: Int, itemBytesMin: Int)
        case skipMap(value: Int, valueBytesMin: Int)
        case skipRecord([Int])
        case skipUnion([Int])
        /// Being compiled (a recursive type refers to its own node).
        case placeholder
    }

    enum FieldStep: Sendable {
        case read(node: Int, into: Int)
        case skip(node: Int)
    }

    struct UnionBranch: Sendable {
        var node: Int
        var readerBranch: Int?
    }

    var nodes: [Node]
    var root: Int
    /// The fewest bytes one datum of the writer schema takes (0 when it can be empty).
    var datumBytesMin: Int

    /// Compiles the program that reads data written with `writer` as values of `reader`.
    init(writer: AvroSchema, reader: AvroSchema, source: String = "schema") throws(AvroError) {
        var compiler = try AvroResolutionCompiler(writer: writer, reader: reader, source: source)
        root = try compiler.resolve(writer, reader, path: "$", depth: 0)
        nodes = compiler.nodes
        datumBytesMin = compiler.bytesMin(writer)
    }

    /// A program made of nodes compiled elsewhere (the column-batch decoder's skip nodes).
    init(nodes: [Node], root: Int, datumBytesMin: Int) {
        self.nodes = nodes
        self.root = root
        self.datumBytesMin = datumBytesMin
    }
}

struct AvroResolutionCompiler {
    let writerNames: AvroNamedTypes
    let readerNames: AvroNamedTypes
    let source: String
    var nodes: [AvroReadProgram.Node] = []
    var memo: [String: Int] = [:]
    var skipMemo: [String: Int] = [:]
    var bytesMinMemo: [String: Int] = [:]

    init(writer: AvroSchema, reader: AvroSchema, source: String) throws(AvroError) {
        writerNames = try AvroNamedTypes(writer, source: source + " (writer)")
        readerNames = try AvroNamedTypes(reader, source: source + " (reader)")
        self.source = source
    }

    func fail(_ path: String, _ message: String) -> AvroError {
        AvroError(file: source, location: path, message)
    }

    mutating func add(_ node: AvroReadProgram.Node) -> Int {
        nodes.append(node)
        return nodes.count - 1
    }

    /// The node reading writer type `w` as reader type `r`.
    mutating func resolve(_ wIn: AvroSchema, _ rIn: AvroSchema, path: String, depth: Int) throws(AvroError) -> Int {
        guard depth <= 256 else { throw fail(path, "schemas nest too deeply to resolve") }
        let w = writerNames.resolve(wIn), r = readerNames.resolve(rIn)
        if case .union(let wBranches) = w.kind {
            var branches: [AvroReadProgram.UnionBranch?] = []
            var failures: [String?] = []
            for (index, wb) in wBranches.enumerated() {
                let saved = (nodes.count, memo)
                do throws(AvroError) {
                    if case .union(let rBranches) = r.kind {
                        let (rIndex, node) = try matchReaderBranch(wb, rBranches, path: path, depth: depth)
                        branches.append(.init(node: node, readerBranch: rIndex))
                    } else {
                        branches.append(.init(node: try resolve(wb, r, path: path, depth: depth + 1), readerBranch: nil))
                    }
                    failures.append(nil)
                } catch {
                    nodes.removeSubrange(saved.0...)
                    memo = saved.1
                    branches.append(nil)
                    failures.append("writer union branch \(index) (\(wb.fullName ?? wb.typeName)) cannot be read: \(error.message)")
                }
            }
            return add(.writerUnion(branches: branches, failures: failures))
        }
        if case .union(let rBranches) = r.kind {
            let (rIndex, node) = try matchReaderBranch(w, rBranches, path: path, depth: depth)
            return add(.readerUnion(branch: rIndex, node: node))
        }
        func mismatch() -> AvroError {
            fail(path, "writer type \(w.fullName ?? w.typeName) cannot be read as \(r.fullName ?? r.typeName)")
        }
        switch (w.kind, r.kind) {
        case (.null, .null): return add(.null)
        case (.boolean, .boolean): return add(.boolean)
        case (.int, .int): return add(.int)
        case (.int, .long): return add(.intAsLong)
        case (.int, .float): return add(.intAsFloat)
        case (.int, .double): return add(.intAsDouble)
        case (.long, .long): return add(.long)
        case (.long, .float): return add(.longAsFloat)
        case (.long, .double): return add(.longAsDouble)
        case (.float, .float): return add(.float)
        case (.float, .double): return add(.floatAsDouble)
        case (.double, .double): return add(.double)
        case (.bytes, .bytes): return add(.bytes)
        case (.string, .string): return add(.string)
        case (.string, .bytes): return add(.stringAsBytes)
        case (.bytes, .string): return add(.bytesAsString)
        case (.fixed(let wf), .fixed(let rf)):
            guard wf.size == rf.size else { throw fail(path, "fixed \(wf.name) of size \(wf.size) cannot be read as fixed \(rf.name) of size \(rf.size)") }
            return add(.fixed(size: wf.size))
        case (.enumeration(let we), .enumeration(let re)):
            let known = Set(re.symbols)
            let mapped = we.symbols.map { known.contains($0) ? $0 : re.defaultSymbol }
            return add(.enumeration(readerSymbols: mapped, writerSymbols: we.symbols))
        case (.array(let wi), .array(let ri)):
            let index = add(.placeholder)
            let item = try resolve(wi, ri, path: path + ".items", depth: depth + 1)
            nodes[index] = .array(item: item, itemBytesMin: bytesMin(wi))
            return index
        case (.map(let wv), .map(let rv)):
            let index = add(.placeholder)
            let value = try resolve(wv, rv, path: path + ".values", depth: depth + 1)
            nodes[index] = .map(value: value, valueBytesMin: bytesMin(wv))
            return index
        case (.record(let wr), .record(let rr)):
            let key = wr.name.fullName + "|" + rr.name.fullName
            if let existing = memo[key] { return existing }
            let index = add(.placeholder)
            memo[key] = index
            var steps: [AvroReadProgram.FieldStep] = []
            var assigned = [Bool](repeating: false, count: rr.fields.count)
            for wf in wr.fields {
                let match = rr.fields.firstIndex { $0.name == wf.name } ?? rr.fields.firstIndex { $0.aliases.contains(wf.name) }
                if let j = match, !assigned[j] {
                    assigned[j] = true
                    let node = try resolve(wf.type, rr.fields[j].type, path: "\(path).fields[\(j)].type", depth: depth + 1)
                    steps.append(.read(node: node, into: j))
                } else {
                    steps.append(.skip(node: skip(wf.type)))
                }
            }
            var defaults: [(index: Int, value: AvroValue)] = []
            for (j, rf) in rr.fields.enumerated() where !assigned[j] {
                defaults.append((j, try missingFieldValue(rf, path: "\(path).fields[\(j)]")))
            }
            nodes[index] = .record(steps: steps, defaults: defaults, fieldCount: rr.fields.count)
            return index
        default:
            throw mismatch()
        }
    }

    /// The value of a reader field the writer does not have.
    func missingFieldValue(_ field: AvroField, path: String) throws(AvroError) -> AvroValue {
        if let json = field.defaultValue {
            return try AvroDefaults.value(json, schema: field.type, table: readerNames, path: path + ".default", depth: 0, source: source)
        }
        let type = readerNames.resolve(field.type)
        switch type.kind {
        case .null: return .null
        case .union(let branches):
            if let n = branches.firstIndex(where: { $0.kind == .null }) { return .union(branch: n, value: .null) }
        default: break
        }
        throw fail(path, "field '\(field.name)' is not in the writer's schema, has no default and is not nullable")
    }

    /// The reader union branch for writer type `w` (not a union), and the node reading it.
    mutating func matchReaderBranch(_ wIn: AvroSchema, _ rBranches: [AvroSchema], path: String, depth: Int) throws(AvroError) -> (Int, Int) {
        let w = writerNames.resolve(wIn)
        for (index, rb) in rBranches.enumerated() where sameType(w, readerNames.resolve(rb)) {
            return (index, try resolve(w, rb, path: "\(path)[\(index)]", depth: depth + 1))
        }
        for (index, rb) in rBranches.enumerated() {
            let saved = (nodes.count, memo)
            do throws(AvroError) {
                return (index, try resolve(w, rb, path: "\(path)[\(index)]", depth: depth + 1))
            } catch {
                nodes.removeSubrange(saved.0...)
                memo = saved.1
            }
        }
        throw fail(path, "no branch of the reader's union can read writer type \(w.fullName ?? w.typeName)")
    }

    /// Same kind, and for named types a matching name (full, simple, or a reader alias).
    func sameType(_ w: AvroSchema, _ r: AvroSchema) -> Bool {
        func named(_ wn: AvroName, _ rn: AvroName, _ aliases: [String]) -> Bool {
            wn.fullName == rn.fullName || wn.name == rn.name
                || aliases.contains { AvroName(name: $0, namespace: rn.namespace).fullName == wn.fullName || $0 == wn.name }
        }
        switch (w.kind, r.kind) {
        case (.null, .null), (.boolean, .boolean), (.int, .int), (.long, .long), (.float, .float), (.double, .double),
             (.bytes, .bytes), (.string, .string), (.array, .array), (.map, .map):
            return true
        case (.record(let a), .record(let b)): return named(a.name, b.name, b.aliases)
        case (.enumeration(let a), .enumeration(let b)): return named(a.name, b.name, b.aliases)
        case (.fixed(let a), .fixed(let b)): return named(a.name, b.name, b.aliases) && a.size == b.size
        default: return false
        }
    }

    /// The node skipping one writer datum of type `w`.
    mutating func skip(_ wIn: AvroSchema) -> Int {
        let w = writerNames.resolve(wIn)
        switch w.kind {
        case .null: return add(.skipBytesFixed(0))
        case .boolean: return add(.skipBoolean)
        case .int, .long, .enumeration: return add(.skipVarint)
        case .float: return add(.skipBytesFixed(4))
        case .double: return add(.skipBytesFixed(8))
        case .bytes, .string: return add(.skipLengthPrefixed)
        case .fixed(let f): return add(.skipBytesFixed(f.size))
        case .array(let items):
            let index = add(.placeholder)
            nodes[index] = .skipArray(item: skip(items), itemBytesMin: bytesMin(items))
            return index
        case .map(let values):
            let index = add(.placeholder)
            nodes[index] = .skipMap(value: skip(values), valueBytesMin: bytesMin(values))
            return index
        case .union(let branches):
            let index = add(.placeholder)
            var children: [Int] = []
            for branch in branches { children.append(skip(branch)) }
            nodes[index] = .skipUnion(children)
            return index
        case .record(let r):
            if let existing = skipMemo[r.name.fullName] { return existing }
            let index = add(.placeholder)
            skipMemo[r.name.fullName] = index
            var children: [Int] = []
            for field in r.fields { children.append(skip(field.type)) }
            nodes[index] = .skipRecord(children)
            return index
        case .reference:
            return add(.skipBytesFixed(0))  // unreachable: references are resolved above
        }
    }

    /// The fewest bytes a datum of writer type `w` takes (a record on a cycle counts as 0).
    mutating func bytesMin(_ wIn: AvroSchema) -> Int {
        let w = writerNames.resolve(wIn)
        switch w.kind {
        case .null: return 0
        case .boolean, .int, .long, .enumeration, .bytes, .string, .array, .map, .union: return 1
        case .float: return 4
        case .double: return 8
        case .fixed(let f): return f.size
        case .record(let r):
            if let known = bytesMinMemo[r.name.fullName] { return known }
            bytesMinMemo[r.name.fullName] = 0
            var total = 0
            for field in r.fields { total = min(total + bytesMin(field.type), 1 << 30) }
            bytesMinMemo[r.name.fullName] = total
            return total
        case .reference: return 0
        }
    }
}
