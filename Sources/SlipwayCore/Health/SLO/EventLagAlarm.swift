/// The seed's SLI alarm on event-processing lag: raised when a reading passes the limit (5 min
/// by default), cleared when one is back at or under it. Each change is told once.
public struct EventLagAlarm: Sendable, Equatable {
    public var limitSeconds: Double
    public private(set) var firing: Bool

    /// The rule's name, as alerts and the stored state call it.
    public static let rule = "lag-alarm"

    public init(limitSeconds: Double, firing: Bool = false) {
        self.limitSeconds = limitSeconds
        self.firing = firing
    }

    /// Takes in a reading of `lagSeconds` for `objective` at `minute`; returns the change, if any.
    public mutating func observe(lagSeconds: Double, objective: String, minute: Int) -> SLOAlert? {
        let over = lagSeconds > limitSeconds
        guard over != firing else { return nil }
        firing = over
        let lag = lagSeconds.isFinite ? DurationText.format(lagSeconds) : "unbounded"
        let limit = DurationText.format(limitSeconds)
        return SLOAlert(
            change: over ? .fired : .cleared, severity: .page, objective: objective, rule: Self.rule, minute: minute,
            message: over
                ? "event-processing lag is \(lag), over the \(limit) alarm"
                : "event-processing lag is \(lag), back within the \(limit) alarm")
    }
}
