import ArgumentParser
import SlipwayCore

struct Diff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changes in a component between its live release in an environment and another version.",
        discussion: "Commits touching the component's folder, files changed under it, and migrations added.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The component.") var component: String
    @Option(help: "The environment whose live release is compared.") var env: String
    @Option(help: ArgumentHelp("The version to compare with (default: HEAD's version of the component).", valueName: "version"))
    var to: String?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let engine = try await global.openEngine(json: json, naming: component)
        let resolved = try engine.workspace.component(named: component)
        let environment = try engine.workspace.environment(named: env)
        let diff = try await engine.releaseDiff(resolved, environment: environment.name, to: to)
        if json { return try JSONOutput.print(diff) }
        print("\(diff.component) in \(diff.environment): \(diff.fromVersion ?? "nothing live") -> \(diff.toVersion): \(diff.summary)")
        if !diff.commits.isEmpty {
            print(diff.isRollback ? "commits going away:" : "commits:")
            for commit in diff.commits { print("  \(commit.hash)  \(commit.subject)  (\(commit.author))") }
        }
        if !diff.files.isEmpty {
            print("files:")
            for file in diff.files { print("  \(file)") }
        }
        if !diff.migrations.isEmpty {
            print("migrations added:")
            for migration in diff.migrations { print("  \(migration)") }
        }
    }
}
