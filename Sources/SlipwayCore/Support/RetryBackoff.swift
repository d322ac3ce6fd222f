import Foundation

/// How long to wait before calling a platform again after a 429, a 5xx or a timeout: the wait
/// doubles from `base` up to `cap`, each between half and all of it (jitter, so clients that
/// failed together do not come back together); a 429's `Retry-After` is honoured as written.
public struct RetryBackoff: Sendable, Equatable {
    public var base: Double = 1
    public var cap: Double = 30

    public init(base: Double = 1, cap: Double = 30) {
        self.base = base
        self.cap = cap
    }

    /// Seconds to wait after failed attempt `attempt` (1 for the first), `random` in 0...1.
    public func delay(afterAttempt attempt: Int, random: Double) -> Double {
        let full = min(cap, base * pow(2, Double(max(0, attempt - 1))))
        return full / 2 + full / 2 * min(1, max(0, random))
    }

    /// The seconds a `Retry-After` header asks for: delay-seconds, or an HTTP date (RFC 9110);
    /// nil when absent or unreadable.
    public static func retryAfter(_ header: String?, now: Date) -> Double? {
        guard let text = header?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
