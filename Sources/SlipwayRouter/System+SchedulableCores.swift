import Foundation
import NIOCore

extension System {
    /// The cores this process may run on: `coreCount` (which honours cgroup quotas) capped by the
    /// affinity mask, which `coreCount` ignores. A router pinned with `taskset -c 1` then runs one
    /// event loop instead of two loops taking turns on one core.
    static var schedulableCoreCount: Int {
        guard let allowed = affinityCoreCount() else { return coreCount }
        return max(1, min(coreCount, allowed))
    }

    /// The bits set in `Cpus_allowed` of /proc/self/status (a hex mask, in comma-separated words);
    /// nil where there is no such file.
    private static func affinityCoreCount() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") })
        else {
            return nil
        }
        let digits = line.dropFirst("Cpus_allowed:".count).compactMap(\.hexDigitValue)
        return digits.isEmpty ? nil : digits.reduce(0) { $0 + $1.nonzeroBitCount }
    }
}
