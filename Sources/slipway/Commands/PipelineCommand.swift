import ArgumentParser
import Foundation
import SlipwayCore

struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Detect changes, run tests and gates, deploy in dependency order and validate, as CI does.",
        discussion: """
            With --branch, the environment comes from the branch map (develop -> staging, main -> \
            production); any other branch runs tests and gates only and deploys nothing.
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The environment to deploy to.") var env: String?
    @Option(help: "Pick the environment from the branch map; a branch outside it only tests and gates.") var branch: String?
    @Option(help: "The base commit or ref (default: the last successful pipeline run, else the merge-base with the environment's branch).") var base: String?
    @Option(help: "The base when there is no successful pipeline run yet (instead of the merge-base with the branch).")
    var fallbackBase: String?
    @Option(help: "The head commit or ref.") var head = "HEAD"
    @Flag(help: "Tests and gates only: deploy nothing (pull requests).") var noDeploy = false
    @Option(help: "Components tested or deployed at once (default: the number of cores).") var jobs: Int?
    @Flag(help: "Print the plan and change nothing.") var dryRun = false

    func validate() throws {
        if env != nil && branch != nil { throw ValidationError("give --env or --branch, not both") }
        if noDeploy && env != nil { throw ValidationError("--no-deploy runs tests and gates only: it takes no --env") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        let engine = try await global.openEngine()
        let target = noDeploy
            ? (environment: nil, note: "--no-deploy: tests and gates only")
            : try await PipelineTarget.resolve(engine: engine, env: env, branch: branch)
        try await PipelineTarget.run(
            engine: engine, environment: target.environment, base: base, fallbackBase: fallbackBase, head: head, jobs: jobs,
            runsGates: true, dryRun: dryRun, note: target.note)
    }
}

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
        } else if let environment, let last = try engine.store.lastSuccessfulPipelineCommit(environment: environment.name) {
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
