import SlipwayCore

/// A changing action waiting for the operator's confirmation: `y`, or for production the
/// environment's name typed in full.
struct PendingAction: Equatable, Sendable {
    /// What will happen, in words: `switch accounts in production to its idle colour`.
    var summary: String
    /// What the engine is asked to do once it is confirmed.
    var request: ConsoleRequest
    var environment: String
    /// For a deploy: what is live now (`blue 3f9a2c1b7d4e`) and the
    /// colour the new release goes to, so the prompt can say from -> to once the diff names the version.
    var move: Move?
    var typed = ""
    /// For a denial: what is typed is its reason, which the requester reads.
    var asksReason = false

    struct Move: Equatable, Sendable {
        var from: String
        var toColor: SlotColor?
        /// Nil when git decides (HEAD's version of the component).
        var toVersion: String?
    }

    /// Environments whose changes must be confirmed by typing their name.
    static let guardedEnvironments: Set<String> = ["production"]

    var needsTypedName: Bool { !asksReason && Self.guardedEnvironments.contains(environment) }

    /// Whether keys type text (the environment's name or a reason) rather than answer y/n.
    var takesText: Bool { needsTypedName || asksReason }

    /// The question, with what the release changes (`3 commits, 5 files, 1 migration`) once known,
    /// and for a deploy from git the version it builds and whether that is older than the live one.
    /// Too long for `width`, a typed confirmation shortens its description, never its answer (the
    /// name being typed must stay in sight); a y/n one is cut at its end, since the footer says
    /// `enter confirm  esc cancel` and the description says what is about to happen.
    func prompt(diff: LoadedDiff? = nil, width: Int = .max, ellipsis: String = "…") -> String {
        var what = summary
        if let move {
            let color = move.toColor.map { "\($0) " } ?? ""
            let version = move.toVersion ?? diff?.diff?.toVersion ?? "(from git: reading its version)"
            what += ": \(move.from) -> \(color)\(version)"
        }
        if let diff {
            what += " (\(diff.summary))"
            if move != nil, diff.diff?.isRollback == true { what += ", older than the live release: a rollback in effect" }
        }
        let answer = asksReason
            ? "? type the reason and enter to deny, esc cancels: \(typed)_"
            : needsTypedName
            ? "? type '\(environment)' and enter to confirm, esc cancels: \(typed)_"
            : "? y/enter confirms, n/esc cancels"
        guard width != .max, what.count + answer.count > width else { return what + answer }
        guard takesText else { return TextLayout.truncate(what + answer, to: width, ellipsis: ellipsis) }
        return TextLayout.truncate(what, to: max(width - answer.count, 1), ellipsis: ellipsis) + answer
    }
}
