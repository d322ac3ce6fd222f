/// What the agent's continuous probes of one live release say, as a value: a release turns
/// unhealthy after `failureThreshold` failed probes in a row (one blip is not an outage) and
/// healthy again on the first good one. Only a change is worth an event.
public struct LiveHealth: Sendable, Equatable {
    public var failureThreshold = 2
    /// What was last recorded in the store (nil: nothing yet).
    public private(set) var recorded: Bool?
    public private(set) var failuresInARow = 0

    public init(recorded: Bool?, failureThreshold: Int = 2) {
        self.recorded = recorded
        self.failureThreshold = failureThreshold
    }

    /// Takes one probe's result; answers the health to record when it changed.
    public mutating func take(healthy: Bool) -> Bool? {
        failuresInARow = healthy ? 0 : failuresInARow + 1
        let now: Bool? = healthy ? true : (failuresInARow >= failureThreshold ? false : nil)
        guard let now, now != recorded else { return nil }
        recorded = now
        return now
    }
}
