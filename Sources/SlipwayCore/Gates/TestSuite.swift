/// Runs components' `make test` as recorded runs.
public struct TestSuite: Sendable {
    public var engine: Engine

    public init(engine: Engine) {
        self.engine = engine
    }

    public func plan(for component: Component) throws(SlipwayError) -> RunPlan {
        let method = try DeployMethod.resolve(for: component, in: engine.workspace)
        guard method.provides("test", for: component) else {
            throw SlipwayError(.target(.noGoal(component: component.path, goal: "test")))
        }
        var plan = RunPlan(kind: .test, component: component.name, environment: nil)
        plan.stages = [RunPlan.Stage(name: "test", command: method.command(
            goal: "test", component: component, directory: component.directory, workspace: engine.workspace,
            variables: [], runID: plan.id))]
        return plan
    }

    public func test(
        _ reference: String, kind: ComponentKind?, cancellation: CancellationFlag = CancellationFlag()
    ) async throws(SlipwayError) -> RunResult {
        let component = try engine.workspace.component(named: reference, kind: kind)
        return try await engine.executor.execute(plan(for: component), origin: engine.origin, cancellation: cancellation)
    }

    /// Tests every component that has a `test` goal, one after another; says which have none.
    public func testAll(cancellation: CancellationFlag = CancellationFlag()) async throws(SlipwayError) -> [String: RunResult] {
        var results: [String: RunResult] = [:]
        for component in engine.workspace.components {
            guard !cancellation.isSet else { break }
            let plan: RunPlan
            do {
                plan = try self.plan(for: component)
            } catch {
                engine.output("\(component.name): skipped (\(error.message))")
                continue
            }
            results[component.name] = try await engine.executor.execute(plan, origin: engine.origin, cancellation: cancellation)
        }
        return results
    }
}
