/// Bytes appended in order into a list of buffers ("segments") that are never reallocated: a new segment is started
/// when the next append does not fit in what the current one has left, each new segment twice the capacity of the last
/// (from 64 KiB up to 8 MiB, or larger to hold one append whole).
///
/// For the pages of a column chunk: appending never copies what is already there (a single growing buffer copies
/// it at every doubling and faults in fresh memory each time), and writing the chunk out takes a few large writes
/// (one per segment) rather than one per page. At most half of the last segment's capacity goes unused.
struct ByteSegments {
    /// The segments, in order; together they hold exactly the bytes appended.
    private(set) var segments: [[UInt8]] = []
    /// The bytes appended so far.
    private(set) var count = 0

    static let firstCapacity = 64 << 10
    static let largestCapacity = 8 << 20

    /// Appends `first` and then `second`, contiguously (a page header and its body).
    mutating func append(_ first: [UInt8], _ second: [UInt8]) {
        let n = first.count + second.count
        guard n > 0 else { return }
        if let last = segments.last, last.capacity - last.count >= n {
            // In place: the segment is uniquely referenced here, so this never copies it.
            segments[segments.count - 1].append(contentsOf: first)
            segments[segments.count - 1].append(contentsOf: second)
        } else {
            let grown = min(Self.largestCapacity, max(Self.firstCapacity, (segments.last?.capacity ?? 0) * 2))
            var segment: [UInt8] = []
            segment.reserveCapacity(max(n, grown))
            segment.append(contentsOf: first)
            segment.append(contentsOf: second)
            segments.append(segment)
        }
        count += n
    }

    /// Hands over the segments, leaving this empty.
    mutating func take() -> [[UInt8]] {
        defer {
            segments = []
            count = 0
        }
        return segments
    }
}
