import ArgumentParser
import SlipwayCore

/// `--override-gates --reason TEXT`, for every route into production.
struct OverrideOptions: ParsableArguments {
    @Flag(help: "Send a version no recorded pipeline run gated to production (with production_gates: required); needs --reason.")
    var overrideGates = false
    @Option(help: "Why: recorded in the audit (with --override-gates, or rollback's --force over a non-additive migration).")
    var reason: String?

    /// The override asked for; a reason that is no one line of text, or an override without one, is a usage error.
    func gateOverride(reasonAlone allowed: Bool = false) throws(SlipwayError) -> GateOverride? {
        if let reason, reason.trimmingCharacters(in: .whitespaces).isEmpty || reason.contains("\n") {
            throw .usage("--reason must be one line of text")
        }
        guard overrideGates else {
            if reason != nil, !allowed { throw .usage("--reason goes with --override-gates (or, for a rollback, --force)") }
            return nil
        }
        guard let reason else { throw SlipwayError(.reasonRequired(what: "--override-gates", why: "why this version skips its gates")) }
        return GateOverride(reason: reason)
    }
}
