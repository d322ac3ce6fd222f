import ArgumentParser
import Foundation
import SlipwayCore

/// What `pipeline` and `deploy-all --changed` share: pick the environment, plan, run, report.
enum PipelineTarget {
    static func resolve(engine: Engine, env: String?, branch: String?) async throws(SlipwayError) -> (environment: EnvironmentSettings?, note: String?) {
        if let env { return (try engine.workspace.environment(named: env), nil) }
        var name = branch
        if name == nil { name = try await engine.git?.currentBranch() }
        guard let name else { throw .usage("give --env ENV or --branch BRANCH (HEAD is not on a branch)") }
        guard let environment = engine.workspace.config.branches[name] else {
            return (nil, "branch '\(name)' deploys nowhere: tests and gates only")
        }
        return (try engine.workspace.environment(named: environment), "branch '\(name)' deploys to \(environment)")
    }

    static func run(
        engine: Engine, environment: EnvironmentSettings?, base: String?, fallbackBase: String? = nil, head: String, jobs: Int?,
        runsGates: Bool, dryRun: Bool, note: String?
    ) async throws {
        if let note { engine.output(note) }
        let (resolvedBase, source): (String, String)
        if let base {
            (resolvedBase, source) = (base, "given")
        } else if let environment, let last = try engine.lastSuccessfulPipelineCommit(environment: environment.name) {
            (resolvedBase, source) = (last.commit, "last successful pipeline run \(last.runID)")
        } else if let fallbackBase {
            (resolvedBase, source) = (fallbackBase, "fallback base")
        } else if let environment {
            (resolvedBase, source) = try await engine.changeBase(environment: environment.name)
        } else {
            throw SlipwayError.usage("a branch that deploys nowhere has no default base: give --base REF or --fallback-base REF")
        }
        var options = PipelineRunner.Options(environment: environment, base: resolvedBase, baseSource: source)
        options.head = head
        options.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        options.runsGates = runsGates
        let runner = PipelineRunner(engine: engine, gate: ReportGate(engine: engine))
        if dryRun {
            for line in try await runner.plan(options).lines(dryRun: true) { print(line) }
            return
        }
        let cancellation = CancellationFlag()
        SignalTrap.cancel(cancellation)
        let outcome = try await runner.run(options, cancellation: cancellation)
        for (name, note) in outcome.jobs.sorted(by: { $0.key < $1.key }) { print("\(name): \(note)") }
        if !outcome.result.succeeded { throw ExitCode(1) }
    }
}
