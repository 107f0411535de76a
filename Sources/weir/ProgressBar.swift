import Foundation

/// A one-line progress bar on standard error: bar, percentage, bytes done and total, rate and ETA.
/// Redraws at most every 100 ms; draws nothing when disabled (not a terminal, or `--no-progress`).
final class ProgressBar: @unchecked Sendable {
    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    private let label: String
    private let enabled: Bool
    private let started = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    private var drewAnything = false
    private var last: (done: Int64, total: Int64) = (0, 0)

    init(label: String, enabled: Bool) {
        self.label = label
        self.enabled = enabled
    }

    func update(done: Int64, total: Int64) {
        last = (done, total)
        guard enabled else { return }
        let now = ContinuousClock.now
        if let lastDraw, now - lastDraw < .milliseconds(100), done < total { return }
        lastDraw = now
        draw(done: done, total: total, now: now)
    }

    /// Draws the final state and ends the line.
    func finish() {
        guard enabled else { return }
        draw(done: last.done, total: last.total, now: .now)
        if drewAnything { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// The text of one frame (exposed for tests of the layout).
    static func render(label: String, done: Int64, total: Int64, seconds: Double, width: Int = 30) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let eta = rate > 0 && total > done ? String(format: "%.0fs", Double(total - done) / rate) : "-"
        return String(format: "%@ [%@] %3.0f%% %@/%@ %@/s ETA %@", label, bar, fraction * 100,
                      bytes(done), bytes(total), bytes(Int64(rate)), eta)
    }

    static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    private func draw(done: Int64, total: Int64, now: ContinuousClock.Instant) {
        let elapsed = now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let line = Self.render(label: label, done: done, total: total, seconds: seconds)
        FileHandle.standardError.write(Data(("\r\u{1b}[2K" + line).utf8))
        drewAnything = true
    }
}
