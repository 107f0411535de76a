import WeirColumnar

/// How ``ORCFileReader`` reads a file.
public struct ORCReadOptions: Sendable, Equatable {
    /// The row type to read into instead of the file's own (see ``ORCFileReader/schema``). Columns are matched
    /// by name; a target column the file lacks reads as nulls (it must be nullable). Each column's type must be
    /// one the file's type converts to exactly: the same kind with any TIMESTAMP precision (values are floored
    /// to the unit) or the other TIMESTAMP flavour, any DECIMAL precision and scale (values rescaled, rounding
    /// half away from zero; values that do not fit are an error), wider integers, DOUBLE from FLOAT, CHAR,
    /// VARCHAR and STRING from any ORC string type, BINARY and VARBINARY from binary or strings, TIME from int.
    public var targetSchema: RowType?
    public var limits: ORCReadLimits

    public init(targetSchema: RowType? = nil, limits: ORCReadLimits = ORCReadLimits()) {
        self.targetSchema = targetSchema
        self.limits = limits
    }
}

/// Bounds on what a file may make the reader allocate or walk; anything beyond is an ``ORCError``.
public struct ORCReadLimits: Sendable, Equatable {
    /// The footer or the metadata section, compressed or not.
    public var tailBytesMax: Int
    /// One stripe footer, compressed or not.
    public var stripeFooterBytesMax: Int
    /// One stream, decompressed.
    public var streamBytesMax: Int
    /// Rows of one stripe.
    public var stripeRowsMax: Int
    /// Values of one nested column in one stripe (list elements, map entries).
    public var stripeValuesMax: Int

    public init(tailBytesMax: Int = 64 << 20, stripeFooterBytesMax: Int = 16 << 20, streamBytesMax: Int = 1 << 30,
                stripeRowsMax: Int = 1 << 27, stripeValuesMax: Int = 1 << 28) {
        self.tailBytesMax = tailBytesMax
        self.stripeFooterBytesMax = stripeFooterBytesMax
        self.streamBytesMax = streamBytesMax
        self.stripeRowsMax = stripeRowsMax
        self.stripeValuesMax = stripeValuesMax
    }
}
