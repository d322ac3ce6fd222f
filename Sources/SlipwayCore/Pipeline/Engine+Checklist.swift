import Foundation

/// The production checklist of a release, from what the store and the workspace know of it.
extension Engine {
    /// The checklist `version` of `component` must pass to go to production, judged on `states`
    /// (the projection's, which every caller has just read to decide it needs the checklist).
    public func checklist(
        for component: Component, version: String, states: [Projection.Key: DeploymentState]
    ) async throws(SlipwayError) -> DeploymentChecklist {
        let production = states[.init(component: component.name, environment: "production")]
        let alerts = workspace.config.alerts
        let facts = DeploymentChecklist.Facts(
            gateChecks: try store.gateChecks(component: component.name, version: version),
            gatePassed: try store.gatesPassed(component: component.name, version: version),
            staging: states[.init(component: component.name, environment: "staging")],
            migrations: await migrationsValidated(of: component),
            projections: projectionRebuildsCompleted(of: component),
            hasBench: ReportGoals.benchPlan(for: component, in: workspace) != nil,
            objectives: component.settings.slo.objectives.map(\.name),
            alertSinks: (alerts.webhook == nil ? [] : ["webhook"]) + (alerts.command == nil ? [] : ["command"]) + alerts.namedSinks.map(\.name),
            rollback: try rollbackPlan(of: component, replacing: production, with: version))
        return DeploymentChecklist(component: component.name, version: version, facts: facts)
    }

    /// Passed when the release live in production now is one a rollback can go back to: kept, or
    /// tagged with the commit to rebuild it from, and no migration applied since bars old code.
    func rollbackPlan(
        of component: Component, replacing production: DeploymentState?, with version: String
    ) throws(SlipwayError) -> DeploymentChecklist.Item {
        let name = DeploymentChecklist.firstRelease.name
        guard let live = production?.liveVersion else { return DeploymentChecklist.firstRelease }
        guard live != version else {
            return .init(name: name, status: .notApplicable, detail: "\(version) is live in production already")
        }
        guard let tag = try releaseTags(of: component.name, in: "production").first(where: { $0.version == live }) else {
            return .init(name: name, status: .failed, detail: "\(live) has no release tag in production to roll back to")
        }
        let target = try self.target(for: component, environment: "production")
        let source = target.keepsRelease(live) ? "\(live), kept" : tag.commit.map { "\(live), rebuilt from commit \($0.prefix(8))" }
        guard let source else {
            return .init(name: name, status: .failed, detail: "\(live) is neither kept nor tagged with a commit to rebuild it from")
        }
        if let refusal = try schemaRollback(of: component, environment: "production", to: tag)?
            .refusal(component: component.name, version: live, environment: "production") {
            return .init(name: name, status: .failed, detail: refusal)
        }
        return .init(name: name, status: .passed, detail: "back to \(source): slipway rollback \(component.name) --env production")
    }
}
