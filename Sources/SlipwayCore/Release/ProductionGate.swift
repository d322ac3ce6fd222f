import Foundation

/// No way into production around the gates: with `production_gates: required`, a version goes to
/// production (deploy, deploy-all, the console, promote, a rollback) only when a recorded pipeline
/// run tested and gated that exact version, unless a person overrides it with a reason, which is
/// recorded in the audit and raised as an info alert.
public struct ProductionGate: Sendable {
    public var engine: Engine

    public init(engine: Engine) {
        self.engine = engine
    }

    /// Why `version` of `component` may not go to `environment`, nil when it may (not
    /// production, gates not required, or a pipeline run passed its tests and gates).
    public func missing(_ component: Component, environment: String, version: String) throws(SlipwayError) -> String? {
        guard engine.workspace.config.productionGates == .required, DeploymentChecklist.applies(to: environment) else { return nil }
        switch try engine.store.gatesPassed(component: component.name, version: version) {
        case true?: return nil
        case false?: return "the newest pipeline run that tested \(component.name) \(version) failed its tests or quality gates"
        case nil: return "no recorded pipeline run tested and gated \(component.name) \(version)"
        }
    }

    /// Refuses `version` naming what is missing, or records the override that lets it through.
    public func check(
        _ component: Component, environment: String, version: String, override: GateOverride?, route: String
    ) throws(SlipwayError) {
        guard let missing = try missing(component, environment: environment, version: version) else { return }
        guard let override else {
            throw SlipwayError(.gateRefused(
                route: route, component: component.name, version: version, environment: environment, missing: missing))
        }
        try record(override, component: component, environment: environment, version: version, missing: missing, route: route)
    }

    /// Records that `override` let `version` past what is `missing`: in the audit, and as an info alert.
    public func record(
        _ override: GateOverride, component: Component, environment: String, version: String, missing: String, route: String
    ) throws(SlipwayError) {
        let reason = override.reason.trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { throw SlipwayError(.reasonRequired(what: "--override-gates", why: "why this version skips its gates")) }
        let message = "\(route) of \(component.name) \(version) to \(environment) went past the gates (\(missing)) "
            + "by \(engine.store.actor): \(reason)"
        try engine.store.append(NewEvent(
            .checkOverridden, component: component.name, environment: environment,
            details: EventDetails(version: version, stage: "production gates", outcome: missing, reason: reason, origin: engine.origin)))
        try engine.store.raise(
            Alert(severity: .info, change: "gates_overridden", component: component.name, environment: environment,
                  rule: "production-gates", message: message),
            routing: engine.workspace.config.alerts)
        engine.output("gates overridden: \(missing); \(reason)")
    }
}
