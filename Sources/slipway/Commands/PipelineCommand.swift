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
