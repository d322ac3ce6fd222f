import Foundation
import SlipwayTestSupport
import Testing

/// `slipway changes --base A --head B` takes the components from B as git's tree holds them,
/// whatever the working tree has (issue 15, aim 3).
@Suite struct ChangesCommandTests {
    static let makefile = "deploy:\n\t@true\n"

    /// A workspace with `apps/web` and `services/api`, committed; returns it and that first commit.
    private func repository() throws -> (TemporaryWorkspace, String) {
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": "parallelism: 2\n",
            "apps/web/Makefile": Self.makefile, "apps/web/index.js": "1",
            "services/api/Makefile": Self.makefile, "services/api/main.go": "1",
        ])
        try workspace.commitAll("start")
        return (workspace, try revision(workspace, "HEAD"))
    }

    private func revision(_ workspace: TemporaryWorkspace, _ name: String) throws -> String {
        try workspace.git("rev-parse", name).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The names and reasons `changes --json` lists.
    private func listed(_ slipway: SlipwayProcess, base: String, head: String) throws -> [String: String] {
        let output = try #require(try slipway.json("changes", "--base", base, "--head", head) as? [String: Any])
        let components = try #require(output["components"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: components.map {
            ($0["name"] as? String ?? "", $0["reason"] as? String ?? "")
        })
    }

    @Test func aComponentAtHeadButDeletedFromTheWorkingTreeIsListed() throws {
        let (workspace, start) = try repository()
        let slipway = SlipwayProcess(workspace)
        try workspace.write([
            "services/api/main.go": "2", "apps/web/index.js": "2",
            "services/ledger/Makefile": Self.makefile, "services/ledger/main.go": "1",
        ])
        try workspace.commitAll("api, web and a new ledger")
        let head = try revision(workspace, "HEAD")

        // Deleted by a later commit on the checked-out branch: the range ending at head still has both.
        try workspace.git("rm", "-q", "-r", "services/api", "services/ledger")
        try workspace.commitAll("retire api and ledger")
        #expect(!FileManager.default.fileExists(atPath: workspace.root.appendingPathComponent("services/api").path))
        #expect(try listed(slipway, base: start, head: head) == ["web": "files", "api": "files", "ledger": "files"])

        // Deleted from the working tree alone, head checked out: git's tree still holds them.
        try workspace.git("checkout", "-q", head)
        #expect(try workspace.run("/bin/rm", ["-rf", "services"]).status == 0)
        #expect(try listed(slipway, base: start, head: head) == ["web": "files", "api": "files", "ledger": "files"])
    }

    @Test func aComponentOnlyInTheWorkingTreeIsNotListed() throws {
        let (workspace, start) = try repository()
        let slipway = SlipwayProcess(workspace)
        // A global path changes in the range: every component at head is listed, and only those.
        try workspace.write(["deploy/base.yaml": "1"])
        try workspace.commitAll("global")
        let head = try revision(workspace, "HEAD")

        // One component committed after head, one never committed: neither is head's.
        try workspace.write(["apps/later/Makefile": Self.makefile, "apps/later/index.js": "1"])
        try workspace.commitAll("later")
        try workspace.write(["services/draft/Makefile": Self.makefile, "services/draft/main.go": "1"])
        #expect(try listed(slipway, base: start, head: head) == ["web": "global", "api": "global"])
        #expect(try listed(slipway, base: start, head: "HEAD") == ["web": "global", "api": "global", "later": "files"])
    }

    /// A git that fails part-way through reading head's objects: one line saying why, exit 1,
    /// and no git left running in the workspace.
    @Test func aGitThatFailsMidwayIsOneErrorLine() throws {
        let (workspace, start) = try repository()
        try workspace.write(["apps/web/index.js": "2"])
        try workspace.commitAll("web")
        let git = try workspace.run("/bin/sh", ["-c", "command -v git"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        // Stands in for git: `cat-file` answers its first round of requests, then dies as git does.
        let standin = workspace.root.appendingPathComponent(".slipway-test-bin")
        try FileManager.default.createDirectory(at: standin, withIntermediateDirectories: true)
        let script = """
            #!/bin/sh
            if [ "$1" = cat-file ]; then
              head -n 2 | "\(git)" "$@"
              echo "fatal: standing in for a damaged repository" >&2
              exit 128
            fi
            exec "\(git)" "$@"
            """
        try Data(script.utf8).write(to: standin.appendingPathComponent("git"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: standin.appendingPathComponent("git").path)
        try workspace.write([".gitignore": ".slipway/\n.slipway-test-bin/\n"])

        let slipway = SlipwayProcess(workspace)
        let path = standin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        let result = try slipway.run(["changes", "--base", start, "--head", "HEAD", "--json"], environment: ["PATH": path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.contains("git cat-file: fatal: standing in for a damaged repository") == true, "\(result.stderr)")
        #expect(slipway.stopAgentAndListLeftovers().isEmpty)
    }
}
