/// Runs the `health-check` goal of every component live in an environment and records
/// what it found, so that `status` and the console show the truth.
///
/// Health/ is above Targets/, a peer of Release/, Pipeline/, Gates/, Data/ and Secrets/ (Support <- Workspace
/// <- Store <- Targets <- Release, Pipeline, Gates, Health, Data, Secrets <- ReadModel <- Engine); what the
/// store records of it (`Alert`, `SLIMinute`) lives in Store/.
public struct HealthCheck: Sendable {
    public struct Outcome: Sendable, Equatable, Codable {
        public var component: String
        public var environment: String
        public var version: String?
        /// `healthy`, `unhealthy` or `unknown` (not deployed, or no way to check).
        public var health: String
        public var runID: String?
        public var reason: String?

        enum CodingKeys: String, CodingKey {
            case component, environment, version, health, runID = "run_id", reason
        }
    }

    public var engine: Engine

    public init(engine: Engine) {
        self.engine = engine
    }

    public func checkAll(environment name: String, cancellation: CancellationFlag = CancellationFlag()) async throws(SlipwayError) -> [Outcome] {
        let environment = try engine.workspace.environment(named: name)
        let states = try engine.store.projection().states
        var outcomes: [Outcome] = []
        for component in engine.workspace.components {
            outcomes.append(try await check(
                component, environment: environment, state: states[.init(component: component.name, environment: environment.name)],
                cancellation: cancellation))
        }
        return outcomes
    }

    /// Checks one component live in `environment` (whose fleet state is `state`) and records what it found.
    public func check(
        _ component: Component, environment: EnvironmentSettings, state: DeploymentState?,
        cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> Outcome {
        var outcome = Outcome(
            component: component.name, environment: environment.name, version: state?.liveVersion, health: "unknown")
        guard let version = state?.liveVersion else {
            outcome.reason = "not deployed"
            return outcome
        }
        var plan = RunPlan(kind: .healthCheck, component: component.name, environment: environment.name)
        plan.version = version
        guard let stage = (try? engine.target(for: component, environment: environment.name))?.liveCheck(state: state, runID: plan.id) else {
            outcome.reason = "no 'health-check' goal"
            return outcome
        }
        plan.stages = [stage]
        plan.successEvents = [NewEvent(
            .healthChecked, component: component.name, environment: environment.name,
            details: EventDetails(version: version, healthy: true))]
        plan.failureEvents = [NewEvent(
            .healthChecked, component: component.name, environment: environment.name,
            details: EventDetails(version: version, reason: "health-check failed", healthy: false))]
        let result = try await engine.executor.execute(plan, origin: engine.origin, cancellation: cancellation)
        outcome.runID = result.runID
        outcome.health = result.succeeded ? "healthy" : (result.state == .failed ? "unhealthy" : "unknown")
        outcome.reason = result.reason
        return outcome
    }
}
