/// `Metadata`: the statistics of every column in every stripe, stored between the last stripe and the footer
/// (ORC v1 spec, "File Metadata"). Readers use it to skip stripes.
public struct ORCMetadata: Sendable, Equatable, ProtobufMessage {
    public var stripeStatistics: [ORCStripeStatistics] = []

    public init(stripeStatistics: [ORCStripeStatistics] = []) {
        self.stripeStatistics = stripeStatistics
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            if field == 1 {
                try r.expect(wire, .lengthDelimited, field: field)
                stripeStatistics.append(try .decodeNested(&r, name: "stripeStats[\(stripeStatistics.count)]"))
            } else {
                try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        for stats in stripeStatistics { w.message(1, stats) }
    }
}

/// `StripeStatistics`: one stripe's statistics, one per column.
public struct ORCStripeStatistics: Sendable, Equatable, ProtobufMessage {
    public var columns: [ORCColumnStatistics] = []

    public init(columns: [ORCColumnStatistics] = []) {
        self.columns = columns
    }

    init(reading r: inout ProtobufReader) throws(ORCError) {
        while let (field, wire) = try r.nextField() {
            if field == 1 {
                try r.expect(wire, .lengthDelimited, field: field)
                columns.append(try .decodeNested(&r, name: "colStats[\(columns.count)]"))
            } else {
                try r.skip(wire)
            }
        }
    }

    func write(to w: inout ProtobufWriter) {
        for stats in columns { w.message(1, stats) }
    }
}
