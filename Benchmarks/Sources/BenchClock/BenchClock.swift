// What every benchmark measures about itself: wall-clock time, this process's CPU time (user + system, which a
// machine shared with other work disturbs less than wall time) and its peak resident memory.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// This process's resource usage so far.
public func usage() -> rusage {
    var usage = rusage()
    #if canImport(Glibc)
    getrusage(RUSAGE_SELF.rawValue, &usage)  // Glibc imports RUSAGE_SELF as an enum case
    #else
    getrusage(RUSAGE_SELF, &usage)
    #endif
    return usage
}

/// This process's user + system CPU seconds so far.
public func cpuSeconds() -> Double {
    let now = usage()
    return Double(now.ru_utime.tv_sec + now.ru_stime.tv_sec) + Double(now.ru_utime.tv_usec + now.ru_stime.tv_usec) / 1e6
}

/// Wall-clock and CPU seconds of `body`.
public func timed(_ body: () async throws -> Void) async rethrows -> (wall: Double, cpu: Double) {
    let start = ContinuousClock.now
    let cpuStart = cpuSeconds()
    try await body()
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, cpuSeconds() - cpuStart)
}
