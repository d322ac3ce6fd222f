import ArgumentParser
import Foundation
import SlipwayCore

struct Changes: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "changes", abstract: "List the components changed between two commits (base...head).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The environment whose last successful pipeline run is the default base.") var env: String?
    @Option(help: "The base commit or ref (default: the last successful pipeline run for the environment, else the merge-base with its branch).") var base: String?
    @Option(help: "The head commit or ref.") var head = "HEAD"
    @Flag(help: "Count uncommitted and untracked files as changed too.") var includeUncommitted = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let detector: ChangeDetector
        let (base, source): (String, String)
        var warned: [ComponentProblem] = []
        if let given = self.base {
            // A given base needs neither the store nor the engine; committed changes not even the
            // working tree: head's components come from git.
            if includeUncommitted {
                let workspace = try global.loadWorkspace()
                (detector, warned) = (try ChangeDetector(workspace: workspace), workspace.problems)
            } else {
                detector = ChangeDetector(root: try global.workspaceRoot())
            }
            (base, source) = (given, "given")
        } else {
            let engine = try await global.openEngine(json: json)
            (detector, warned) = (try ChangeDetector(workspace: engine.workspace), engine.workspace.problems)
            let environment = try await engine.environment(named: env)
            (base, source) = try await engine.changeBase(environment: environment.name)
        }
        let (changes, problems) = try await detector.detectWithProblems(
            base: base, head: head, baseSource: source, includeUncommitted: includeUncommitted)
        GlobalOptions.warn(about: problems.filter { !warned.contains($0) })
        if json {
            try JSONOutput.print(changes)
            return
        }
        print("\(changes.files.count) files changed in \(changes.mergeBase.prefix(12))...\(changes.head.prefix(12)) (\(source))")
        Table(
            headers: ["COMPONENT", "KIND", "REASON", "FILES"],
            rows: changes.components.map { component in
                let files = component.files.count == 1 ? component.files[0] : "\(component.files.count) files"
                return [component.name, component.kind.rawValue, component.reason.rawValue,
                        files + (component.via.map { " via \($0.joined(separator: ", "))" } ?? "")]
            }
        ).print()
    }
}
