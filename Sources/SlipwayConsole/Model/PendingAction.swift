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

    /// The question, with what the release changes (`3 commits, 5 files, 1 migration`) once known.
    func prompt(changes: String? = nil) -> String {
        let what = summary + (changes.map { " (\($0))" } ?? "")
        return needsTypedName
            ? "\(what)? type '\(environment)' and enter to confirm, esc cancels: \(typed)_"
            : "\(what)? y/enter confirms, n/esc cancels"
    }
}
