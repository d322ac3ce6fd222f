import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A gate for tests only: refuses the named components, passes the others.
struct RefusingGate: GateEvaluating {
    var refused: Set<String>

    func evaluate(component: Component, environment: EnvironmentSettings?, base: String) async throws(SlipwayError) -> GateVerdict {
        refused.contains(component.name)
            ? GateVerdict(passed: false, summary: "coverage on new code 42% < 80%")
            : GateVerdict(passed: true, summary: "all conditions passed")
    }
}

@Suite struct PipelineSeamTests {
    @Test func aGateThatFailsAfterPassingTestsStopsTheComponentAndItsDependents() async throws {
        let (workspace, root) = try PipelineWorkspace.create()
        setenv("STATE_DIR", workspace.root.appendingPathComponent("state").path, 1)
        defer { unsetenv("STATE_DIR") }
        let engine = try await Engine.open(workspace: workspace.root, state: nil, output: { _ in })
        var options = PipelineRunner.Options(
            environment: try engine.workspace.environment(named: "staging"), base: root, baseSource: "given")
        options.jobs = 2
        let outcome = try await PipelineRunner(engine: engine, gate: RefusingGate(refused: ["accounts"])).run(options)
        #expect(outcome.result.state == .failed)
        #expect(outcome.jobs["accounts"] == "failed: coverage on new code 42% < 80%")
        #expect(outcome.jobs["billing"] == "skipped: accounts did not deploy")
        #expect(outcome.jobs["admin"] == "skipped: accounts did not deploy")
        #expect(outcome.jobs["web"] == "skipped: billing did not deploy")
        #expect(outcome.jobs["search"]?.hasPrefix("deployed ") == true)
        #expect(outcome.jobs["docs"]?.hasPrefix("deployed ") == true)
        let gateJob = try engine.store.events(forRun: outcome.runID).last {
            $0.kind == EventKind.jobFinished.rawValue && $0.component == "accounts" && $0.details?.stage == "quality-gates"
        }
        #expect(gateJob?.details?.reason == "tests passed; coverage on new code 42% < 80%")
        #expect(gateJob?.details?.jobRun != nil, "the test run is named")
    }

    @Test func changesPrintsTheDocumentedJSON() throws {
        let (workspace, root) = try PipelineWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        try workspace.write(["deploy/base.yaml": "x", "services/search/app.txt": "search-2"])
        try workspace.commitAll("search and global")
        let output = try #require(try slipway.json("changes", "--base", "HEAD~1") as? [String: Any])
        #expect(Set(output.keys).isSuperset(of: ["base", "head", "files", "components"]))
        #expect(output["base"] as? String == "HEAD~1")
        #expect((output["files"] as? [String])?.sorted() == ["deploy/base.yaml", "services/search/app.txt"])
        let components = try #require(output["components"] as? [[String: Any]])
        let search = try #require(components.first { $0["name"] as? String == "search" })
        #expect(search["kind"] as? String == "service")
        #expect(search["reason"] as? String == "files")
        #expect(search["files"] as? [String] == ["services/search/app.txt"])
        #expect(components.filter { $0["reason"] as? String == "global" }.count == 5)

        let table = try slipway("changes", "--base", root)
        #expect(table.status == 0)
        #expect(table.stdout.contains("web") && table.stdout.contains("files"))
        // Without --base: the environment's branch (main deploys to production; no develop branch here).
        let defaulted = try #require(try slipway.json("changes", "--env", "production") as? [String: Any])
        #expect(defaulted["base_source"] as? String == "merge-base with main")
        #expect((defaulted["components"] as? [Any])?.isEmpty == true)
        let noBranch = try slipway("changes", "--env", "staging")
        #expect(noBranch.status == 2 && noBranch.stderr.contains("no base for staging"), "\(noBranch.stderr)")

        let bad = try slipway("changes", "--base", "no-such-ref")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("base 'no-such-ref' is not a commit"))
    }

    @Test func theGitHubWorkflowIsValidAndRunsTheSamePipeline() throws {
        let (workspace, _) = try PipelineWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let written = try slipway("ci", "github")
        #expect(written.status == 0, "\(written.stderr)")
        let file = workspace.root.appendingPathComponent(".github/workflows/slipway-pipeline.yml")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("branches: [\"develop\", \"main\"]"))
        #expect(text.contains("slipway pipeline --branch \"$GITHUB_REF_NAME\" --fallback-base \"$fallback\""))
        #expect(text.contains("slipway pipeline --no-deploy --base \"origin/$GITHUB_BASE_REF\""))

        let tool = try ExternalTool.require("check-jsonschema")
        let check = try workspace.run(tool, ["--builtin-schema", "vendor.github-workflows", file.path])
        #expect(check.status == 0, "\(check.output)")

        // The check can fail: a workflow without jobs is refused.
        try workspace.write(["broken.yml": "name: x\non: push\n"])
        let broken = try workspace.run(tool, ["--builtin-schema", "vendor.github-workflows", workspace.root.appendingPathComponent("broken.yml").path])
        #expect(broken.status != 0)
    }
}
