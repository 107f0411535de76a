extension AvroSchema: CustomStringConvertible {
    /// The schema as JSON text, in the shape Avro's Java library prints: primitives without logical types as bare
    /// strings, named types with their simple `name` and a `namespace` only where it differs from the enclosing
    /// one, references by simple name inside their own namespace and by full name elsewhere, keys in the order
    /// type, name, namespace, doc, aliases, fields/symbols/items/values/size, logicalType (+ precision, scale);
    /// fields as name, type, default, doc, aliases, order. Parsing the text gives back an equal schema.
    /// `pretty` indents by two spaces.
    public func json(pretty: Bool = false) -> String {
        var printer = JSONPrinter(pretty: pretty)
        write(into: &printer, namespace: "")
        return printer.out
    }

    /// The compact JSON text (``json(pretty:)``).
    public var description: String { json() }

    func write(into p: inout JSONPrinter, namespace: String) {
        var members: [(String, (inout JSONPrinter) -> Void)] = []
        func add(_ key: String, _ text: String) { members.append((key, { $0.writeString(text) })) }
        func addJSON(_ key: String, _ json: AvroJSON) { members.append((key, { $0.write(json) })) }
        func addNames(_ name: AvroName, aliases: [String], doc: String?) {
            add("name", name.name)
            if name.namespace != namespace { add("namespace", name.namespace) }
            if let doc { add("doc", doc) }
            if !aliases.isEmpty { addJSON("aliases", .array(aliases.map { .string($0) })) }
        }
        func addLogical() {
            guard let logicalType else { return }
            add("logicalType", logicalType.name)
            if case .decimal(let precision, let scale) = logicalType {
                addJSON("precision", .integer(Int64(precision)))
                addJSON("scale", .integer(Int64(scale)))
            }
        }
        switch kind {
        case .null, .boolean, .int, .long, .float, .double, .bytes, .string:
            guard logicalType != nil else { p.writeString(typeName); return }
            add("type", typeName)
            addLogical()
        case .reference(let fullName):
            let name = AvroName(fullName: fullName)
            p.writeString(name.namespace == namespace ? name.name : fullName)
            return
        case .union(let branches):
            p.writeArray(branches.count) { (printer, index) in branches[index].write(into: &printer, namespace: namespace) }
            return
        case .array(let items):
            add("type", "array")
            members.append(("items", { items.write(into: &$0, namespace: namespace) }))
            addLogical()
        case .map(let values):
            add("type", "map")
            members.append(("values", { values.write(into: &$0, namespace: namespace) }))
            addLogical()
        case .fixed(let f):
            add("type", "fixed")
            addNames(f.name, aliases: f.aliases, doc: f.doc)
            addJSON("size", .integer(Int64(f.size)))
            addLogical()
        case .enumeration(let e):
            add("type", "enum")
            addNames(e.name, aliases: e.aliases, doc: e.doc)
            addJSON("symbols", .array(e.symbols.map { .string($0) }))
            if let d = e.defaultSymbol { add("default", d) }
        case .record(let r):
            add("type", r.isError ? "error" : "record")
            addNames(r.name, aliases: r.aliases, doc: r.doc)
            let inner = r.name.namespace
            members.append(("fields", { printer in
                printer.writeArray(r.fields.count) { (printer, index) in
                    let field = r.fields[index]
                    var fieldMembers: [(String, (inout JSONPrinter) -> Void)] = []
                    fieldMembers.append(("name", { $0.writeString(field.name) }))
                    fieldMembers.append(("type", { field.type.write(into: &$0, namespace: inner) }))
                    if let d = field.defaultValue { fieldMembers.append(("default", { $0.write(d) })) }
                    if let doc = field.doc { fieldMembers.append(("doc", { $0.writeString(doc) })) }
                    if !field.aliases.isEmpty { fieldMembers.append(("aliases", { $0.write(.array(field.aliases.map { .string($0) })) })) }
                    if let order = field.order { fieldMembers.append(("order", { $0.writeString(order.rawValue) })) }
                    printer.writeObject(fieldMembers)
                }
            }))
        }
        p.writeObject(members)
    }
}
