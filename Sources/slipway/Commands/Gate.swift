import ArgumentParser
import Foundation
import SlipwayCore

struct Gate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gate",
        abstract: "Run a component's coverage and scan goals, then evaluate its quality gate.",
        discussion: """
            Runs `make coverage` (or `make test`) and `make scan` when the component's Makefile has them, \
            as a recorded test run, then reads the reports at the paths in quality_gates.reports. \
            --no-run reads the reports already there. New code is base...HEAD; the base defaults to the \
            branch that deploys to the environment. Exit 1 when the gate fails.
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component, as NAME, apps/NAME or services/NAME.") var component: String
    @Option(help: "The environment whose thresholds apply (default: the first with sonarqube enabled).") var env: String?
    @Option(help: "The commit new code is measured from (default: the environment's branch).") var base: String?
    @Flag(help: "Evaluate the reports already on disk; run no make goal.") var noRun = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json, naming: component)
        let workspace = engine.workspace
        let component = try workspace.component(named: self.component)
        let environment = try env ?? defaultEnvironment(workspace)
        let gate = QualityGate(workspace: workspace)
        let skipped = try gate.skipReason(component: component, environment: environment) != nil
        // A base that cannot be found is a usage error before any goal runs, not after.
        let base = skipped ? self.base : try await gate.resolveBase(self.base, environment: environment)
        if !noRun, !skipped, let plan = ReportGoals.plan(for: component, in: workspace) {
            let cancellation = CancellationFlag()
            SignalTrap.cancel(cancellation)
            let result = try await engine.executor.execute(plan, origin: engine.origin, cancellation: cancellation)
            if !result.succeeded {
                throw SlipwayError.failure(
                    "\(component.name): make \(result.failedStage ?? "test") failed (run \(result.runID)); the gate was not evaluated")
            }
        }
        let evaluation = try await gate.evaluate(component: component, environment: environment, base: base)
        if json {
            try JSONOutput.print(evaluation)
        } else {
            Table(
                headers: ["CONDITION", "OP", "THRESHOLD", "VALUE", "STATUS", "WHY"],
                rows: evaluation.conditions.map {
                    [$0.metric.rawValue, $0.condition.op.rawValue, $0.condition.text($0.condition.threshold),
                     $0.value.map($0.condition.text) ?? "-", $0.status.rawValue, $0.why]
                }
            ).print()
            print(evaluation.summary)
        }
        if !evaluation.passed { throw ExitCode(1) }
    }

    private func defaultEnvironment(_ workspace: Workspace) throws(SlipwayError) -> String {
        guard let first = workspace.config.environments.first(where: \.sonarqube) ?? workspace.config.environments.first else {
            throw .usage("the workspace has no environments")
        }
        return first.name
    }
}
