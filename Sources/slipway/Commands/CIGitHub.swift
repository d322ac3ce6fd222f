import ArgumentParser
import Foundation
import SlipwayCore

struct CIGitHub: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "github", abstract: "Write .github/workflows/slipway-pipeline.yml (GitHub Actions).")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The runner label.") var runsOn = "ubuntu-latest"
    @Option(help: "The shell commands that put slipway on the runner's PATH.")
    var install = "command -v slipway >/dev/null || { echo 'slipway is not installed on this runner: set the install step (slipway ci github --install CMD)' >&2; exit 1; }"
    @Flag(help: "Print the workflow instead of writing it.") var stdout = false

    func run() async throws {
        let engine = try await global.openEngine()
        let repositoryRoot = engine.git?.root.resolvingSymlinksInPath() ?? engine.workspace.root
        let root = engine.workspace.root.resolvingSymlinksInPath().path
        let relative = root.hasPrefix(repositoryRoot.path + "/") ? String(root.dropFirst(repositoryRoot.path.count + 1)) : "."
        let workflow = GitHubWorkflow(
            branches: engine.workspace.config.branches, workspace: relative, runsOn: runsOn, install: install,
            secrets: GitHubWorkflow.secretNames(of: engine.workspace))
        if stdout {
            print(workflow.text, terminator: "")
            return
        }
        let file = repositoryRoot.appendingPathComponent(GitHubWorkflow.path)
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try workflow.text.write(to: file, atomically: true, encoding: .utf8)
        } catch {
            throw SlipwayError(.fileAccess(.write, path: file.path, problem: error.localizedDescription))
        }
        print("wrote \(file.path)")
    }
}
