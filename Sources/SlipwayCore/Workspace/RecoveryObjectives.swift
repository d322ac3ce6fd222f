/// How much data a component database may lose and how long its restore may take, in seconds
/// (`rpo:` and `rto:` in its `database:` block). The defaults are the seed's RPO 1 h and RTO 4 h.
public struct RecoveryObjectives: Sendable, Equatable {
    public static let defaultPoint: Double = 3600
    public static let defaultTime: Double = 4 * 3600

    /// The recovery point objective: the newest recoverable point is at most this old.
    public var point = Self.defaultPoint
    /// The recovery time objective: a restore drill takes at most this long.
    public var time = Self.defaultTime

    public init(point: Double = Self.defaultPoint, time: Double = Self.defaultTime) {
        self.point = point
        self.time = time
    }
}
