/// The make goals that write a component's reports before the gate reads them: `coverage`
/// when the Makefile has it (else `test`), then `scan` when it has that.
public enum ReportGoals {
    public static func goals(for component: Component, in workspace: Workspace) -> [String] {
        let method = self.method(for: component, in: workspace)
        var goals: [String] = []
        if method.provides("coverage", for: component) {
            goals.append("coverage")
        } else if method.provides("test", for: component) {
            goals.append("test")
        }
        if method.provides("scan", for: component) { goals.append("scan") }
        return goals
    }

    /// A test run with one stage per goal; nil when the component has none of them.
    public static func plan(for component: Component, in workspace: Workspace) -> RunPlan? {
        let goals = goals(for: component, in: workspace)
        guard !goals.isEmpty else { return nil }
        let method = self.method(for: component, in: workspace)
        var plan = RunPlan(kind: .test, component: component.name, environment: nil)
        plan.stages = goals.map { goal in
            RunPlan.Stage(name: goal, command: method.command(
                goal: goal, component: component, directory: component.directory, workspace: workspace,
                variables: [], runID: plan.id))
        }
        return plan
    }

    /// A run of the component's `bench` goal, whose exit status says whether its performance
    /// benchmarks are met (the checklist's item); nil when its Makefile has no such goal.
    public static func benchPlan(for component: Component, in workspace: Workspace) -> RunPlan? {
        let method = self.method(for: component, in: workspace)
        guard method.provides("bench", for: component) else { return nil }
        var plan = RunPlan(kind: .test, component: component.name, environment: nil)
        plan.stages = [RunPlan.Stage(name: "bench", command: method.command(
            goal: "bench", component: component, directory: component.directory, workspace: workspace, variables: [], runID: plan.id))]
        return plan
    }

    /// A component that does not deploy through Slipway can still have its own test goals.
    private static func method(for component: Component, in workspace: Workspace) -> DeployMethod {
        (try? DeployMethod.resolve(for: component, in: workspace)) ?? .makefile
    }
}
