/// What Slipway can say of a live release's health: a fact with an age. `unknown` when no
/// probe is recent enough to vouch for it, `stale` when the agent that probes is down.
public enum HealthState: String, Codable, Sendable, CaseIterable {
    case healthy
    case unhealthy
    case unknown
    case stale
}
