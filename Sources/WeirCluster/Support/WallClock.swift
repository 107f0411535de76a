import Foundation

/// Milliseconds since 1970: the clock the shells give the scheduler and the store's timestamps.
enum WallClock {
    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
