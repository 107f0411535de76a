/// `Type`: one node of the flattened schema tree (ORC v1 spec, "Type Information"). Compound types list their
/// children's type ids in `subtypes`; a struct names its fields in `fieldNames`, one per subtype.
public struct ORCType: Sendable, Equatable, ProtobufMessage {
    public var kind: ORCTypeKind
    public var subtypes: [UInt32] = []
    public var fieldNames: [String] = []
    /// CHAR and VARCHAR length in characters.
    public var maximumLength: UInt32?
    public var precision: UInt32?
    public var scale: UInt32?
    /// Key-value attributes (Paimon stores its field id under `paimon.id`).
    public var attributes: [(key: String, value: String)] = []

    public init(kind: ORCTypeKind, subtypes: [UInt32] = [], fieldNames: [String] = [], maximumLength: UInt32? = nil,
                precision: UInt32? = nil, scale: UInt32? = nil, attributes: [(key: String, value: String)] = []) {
        self.kind = kind
        self.subtypes = subtypes
        self.fieldNames = fieldNames
        self.maximumLength = maximumLength
        self.precision = precision
        self.scale = scale
        self.attributes = attributes
    }

    /// The value of attribute `key`, if set.
    public func attribute(_ key: String) -> String? { attributes.first { $0.key == key }?.value }

    public static func == (a: ORCType, b: ORCType) -> Bool {
        a.kind == b.kind && a.subtypes == b.subtypes && a.fieldNames == b.fieldNames && a.maximumLength == b.maximumLength
            && a.precision == b.precision && a.scale == b.scale
            && a.attributes.map(\.key) == b.attributes.map(\.key) && a.attributes.map(\.value) == b.attributes.map(\.value)
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        kind = .boolean
        while let (field, wire) = try r.nextField() {
            switch field {
            case 1: try r.expect(wire, .varint, field: field); kind = ORCTypeKind(rawValue: try r.readUInt32())
            case 2:
                var values: [UInt64] = []
                try r.readRepeatedVarint(wire, into: &values)
                for v in values {
                    guard let narrow = UInt32(exactly: v) else { throw r.error("subtype \(v) is out of range") }
                    subtypes.append(narrow)
                }
            case 3: try r.expect(wire, .lengthDelimited, field: field); fieldNames.append(try r.readString())
            case 4: try r.expect(wire, .varint, field: field); maximumLength = try r.readUInt32()
            case 5: try r.expect(wire, .varint, field: field); precision = try r.readUInt32()
            case 6: try r.expect(wire, .varint, field: field); scale = try r.readUInt32()
            case 7:
                try r.expect(wire, .lengthDelimited, field: field)
                var pair = try r.nested("attributes")
                var key = "", value = ""
                while let (f, w) = try pair.nextField() {
                    switch f {
                    case 1: try pair.expect(w, .lengthDelimited, field: f); key = try pair.readString()
                    case 2: try pair.expect(w, .lengthDelimited, field: f); value = try pair.readString()
                    default: try pair.skip(w)
                    }
                }
                attributes.append((key, value))
            default: try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        w.uint32(1, kind.rawValue)
        w.packedVarints(2, subtypes.map(UInt64.init))
        for name in fieldNames { w.string(3, name) }
        if let maximumLength { w.uint32(4, maximumLength) }
        if let precision { w.uint32(5, precision) }
        if let scale { w.uint32(6, scale) }
        for (key, value) in attributes {
            var pair = ProtobufWriter()
            pair.string(1, key)
            pair.string(2, value)
            w.bytes(7, pair.bytes)
        }
    }
}
