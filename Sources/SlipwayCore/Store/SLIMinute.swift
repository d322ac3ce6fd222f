import Foundation

/// One minute of one indicator: how many events were counted and how many of them were bad
/// (a 5xx, a request slower than the objective's threshold, a lag sample over its bound).
public struct SLIMinute: Sendable, Equatable, Codable {
    /// Minutes since 1970-01-01 UTC.
    public var minute: Int
    public var total: Int
    public var bad: Int

    public init(minute: Int, total: Int, bad: Int) {
        self.minute = minute
        self.total = total
        self.bad = bad
    }

    /// Minutes kept: 31 days, the longest window (30 days) and a day.
    public static let retention = 31 * 1440

    /// Minutes since 1970 of `date`.
    public static func number(of date: Date) -> Int { Int((date.timeIntervalSince1970 / 60).rounded(.down)) }
}
