/// How a component database stands against one recovery objective (RPO or RTO).
public enum ObjectiveState: String, Codable, Sendable {
    case ok
    case breached
    /// Nothing measured yet (never drilled): not ok.
    case unknown
}
