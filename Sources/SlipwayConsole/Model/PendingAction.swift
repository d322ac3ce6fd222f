/// A changing action waiting for the operator's confirmation: `y`, or for production the
/// environment's name typed in full.
struct PendingAction: Equatable, Sendable {
    /// What will happen, in words: `switch accounts in production to its idle colour`.
    var summary: String
    /// What the engine is asked to do once it is confirmed.
    var request: ConsoleRequest
    var environment: String
    var typed = ""

    /// Environments whose changes must be confirmed by typing their name.
    static let guardedEnvironments: Set<String> = ["production"]

    var needsTypedName: Bool { Self.guardedEnvironments.contains(environment) }

    var prompt: String {
        needsTypedName
            ? "\(summary)? type '\(environment)' and enter to confirm, esc cancels: \(typed)_"
            : "\(summary)? y/enter confirms, n/esc cancels"
    }
}
