import WeirColumnar

/// Which Paimon types an ORC column may be read into (``ORCReadOptions/targetSchema`` lists the rules).
enum ReadCompatibility {
    /// Throws when `node` cannot be read as `target`; `path` names the column.
    static func check(_ node: ORCTypeNode, as target: DataType, path: String) throws(ORCError) {
        func refuse() -> ORCError {
            ORCError(file: "", location: "column \(path)", "cannot read ORC \(ORCSchema.describe(node)) as \(target)")
        }
        switch (node.kind, target.kind) {
        case (.boolean, .boolean): return
        case (.byte, .tinyint), (.byte, .smallint), (.byte, .int), (.byte, .bigint): return
        case (.short, .smallint), (.short, .int), (.short, .bigint): return
        case (.int, .int), (.int, .bigint), (.int, .time): return
        case (.long, .bigint): return
        case (.float, .float), (.float, .double), (.double, .double): return
        case (.string, .char), (.string, .varchar), (.varchar, .char), (.varchar, .varchar), (.char, .char), (.char, .varchar): return
        case (.string, .binary), (.string, .varbinary), (.varchar, .binary), (.varchar, .varbinary),
             (.char, .binary), (.char, .varbinary), (.binary, .binary), (.binary, .varbinary): return
        case (.decimal, .decimal): return
        case (.date, .date): return
        case (.timestamp, .timestamp), (.timestamp, .timestampLTZ), (.timestampInstant, .timestamp), (.timestampInstant, .timestampLTZ): return
        case (.list, .array(let element)):
            try check(node.children[0], as: element, path: path + "[]")
        case (.map, .map(let key, let value)):
            try check(node.children[0], as: key, path: path + ".key")
            try check(node.children[1], as: value, path: path + ".value")
        case (.struct, .row(let fields)):
            for field in fields {
                if let index = node.type.fieldNames.firstIndex(of: field.name) {
                    try check(node.children[index], as: field.type, path: path + "." + field.name)
                } else if !field.type.isNullable {
                    throw ORCError(file: "", location: "column \(path).\(field.name)", "the file has no such field and the type is NOT NULL")
                }
            }
        default:
            throw refuse()
        }
    }
}
