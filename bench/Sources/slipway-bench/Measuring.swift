import Foundation

func now() -> ContinuousClock.Instant { ContinuousClock.now }

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// `1234567` as `1,234,567`.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var out = ""
    for (index, character) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(character)
    }
    return (value < 0 ? "-" : "") + out
}

func fixed(_ value: Double, _ places: Int = 2) -> String { String(format: "%.\(places)f", value) }

/// A `kB` field of /proc/self/status, such as `VmHWM` (peak resident set) or `VmRSS`.
func procStatusKB(_ field: String) -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        let number = line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ").first
        return number.flatMap { Int($0) } ?? -1
    }
    return -1
}

func loadAverage() -> String {
    ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
}

func mib(kB: Int) -> String { fixed(Double(kB) / 1024, 1) }

/// The machine's CPU time so far, from the `cpu` line of /proc/stat: (busy, total) in ticks.
func cpuTicks() -> (busy: Double, total: Double) {
    guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return (0, 0) }
    let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard values.count >= 5 else { return (0, 0) }
    let total = values.prefix(8).reduce(0, +)
    return (total - values[3] - values[4], total)
}

/// How many cores the whole machine kept busy (this process included) between two readings.
func busyCores(from start: (busy: Double, total: Double), to end: (busy: Double, total: Double)) -> Double {
    let total = end.total - start.total
    guard total > 0 else { return .nan }
    return (end.busy - start.busy) / total * Double(ProcessInfo.processInfo.activeProcessorCount)
}

/// Waits (at most `limit` seconds) until the machine has been nearly idle for 3 s running, so
/// that other people's builds do not land in the figures. Answers the seconds waited and
/// whether it got quiet.
func waitForQuiet(limit: Int) -> (seconds: Double, quiet: Bool) {
    guard limit > 0 else { return (0, true) }
    let start = now()
    var quiet = 0
    while seconds(since: start) < Double(limit) {
        let before = cpuTicks()
        Thread.sleep(forTimeInterval: 1)
        quiet = busyCores(from: before, to: cpuTicks()) < 0.25 ? quiet + 1 : 0
        if quiet >= 3 { return (seconds(since: start), true) }
    }
    return (seconds(since: start), false)
}

/// Runs `body` and reports the machine's busy cores meanwhile.
func metered<T>(_ body: () throws -> T) rethrows -> (value: T, busy: Double) {
    let before = cpuTicks()
    let value = try body()
    return (value, busyCores(from: before, to: cpuTicks()))
}
