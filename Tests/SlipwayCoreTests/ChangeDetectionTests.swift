import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Change detection on real git repositories built here.
@Suite struct ChangeDetectionTests {
    static let makefile = "test:\n\t@true\n"

    /// apps/web, apps/admin, services/accounts, services/billing, committed on main.
    func repository(extra: [String: String] = [:], function: String = #function) throws -> TemporaryWorkspace {
        var files = [
            "apps/web/Makefile": Self.makefile, "apps/web/index.js": "1",
            "apps/admin/Makefile": Self.makefile, "apps/admin/index.js": "1",
            "services/accounts/Makefile": Self.makefile, "services/accounts/main.go": "1",
            "services/billing/Makefile": Self.makefile, "services/billing/main.go": "1",
            "slipway.yml": "parallelism: 4\n",
        ]
        files.merge(extra) { _, new in new }
        let workspace = try TemporaryWorkspace(files: files, function: function)
        try workspace.commitAll("first")
        return workspace
    }

    func detect(_ workspace: TemporaryWorkspace, base: String = "HEAD~1", head: String = "HEAD") async throws -> ChangeSet {
        try await ChangeDetector(workspace: Workspace.load(at: workspace.root))
            .detect(base: base, head: head, baseSource: "given")
    }

    func reasons(_ changes: ChangeSet) -> [String: ChangeSet.Reason] {
        Dictionary(uniqueKeysWithValues: changes.components.map { ($0.name, $0.reason) })
    }

    @Test func ownFolderChanges() async throws {
        let workspace = try repository()
        try workspace.write(["apps/web/index.js": "2", "services/billing/new.go": "x"])
        try workspace.commitAll("change")
        let changes = try await detect(workspace)
        #expect(reasons(changes) == ["web": .files, "billing": .files])
        #expect(changes.component(named: "billing")?.files == ["services/billing/new.go"])
        #expect(Set(changes.files) == ["apps/web/index.js", "services/billing/new.go"])
    }

    @Test func pathFiltersWithExclusionsAndChangeTypes() async throws {
        let workspace = try repository(extra: [
            "apps/admin/slipway.yml": """
                paths:
                  - "packages/shared/**"
                  - "!**/*.md"
                  - added|renamed: "docs/api/**"
                """,
            "packages/shared/a.ts": "1", "packages/shared/README.md": "1", "docs/api/old.md": "1",
        ])
        try workspace.write(["packages/shared/README.md": "2", "docs/api/old.md": "2"])
        try workspace.commitAll("excluded and modified only")
        #expect(try await detect(workspace).components.isEmpty)

        try workspace.write(["docs/api/new.txt": "1"])
        try workspace.commitAll("added")
        let added = try await detect(workspace)
        #expect(reasons(added) == ["admin": .paths])
        #expect(added.component(named: "admin")?.files == ["docs/api/new.txt"])

        try workspace.write(["packages/shared/a.ts": "2"])
        try workspace.commitAll("shared code")
        #expect(reasons(try await detect(workspace)) == ["admin": .paths])
    }

    @Test func unknownChangeTypeIsAConfigErrorWithItsPlace() throws {
        let workspace = try repository(extra: ["apps/admin/slipway.yml": "paths:\n  - edited: \"x/**\"\n"])
        #expect {
            try Workspace.load(at: workspace.root).checked()
        } throws: { error in
            let message = (error as? SlipwayError)?.message ?? ""
            return message.hasPrefix("apps/admin/slipway.yml:2:5: unknown change type 'edited'") && (error as? SlipwayError)?.exitCode == 2
        }
    }

    @Test func transitiveAndInferredDependencies() async throws {
        let workspace = try repository(extra: [
            "apps/web/slipway.yml": "depends_on: [accounts]\n",
            "services/accounts/slipway.yml": "depends_on: [billing]\n",
            "apps/admin/package.json": #"{"name": "@acme/admin", "dependencies": {"@acme/ui": "workspace:*", "left-pad": "1.0.0"}}"#,
            "services/billing/package.json": #"{"name": "@acme/billing", "dependencies": {"@acme/auth": "^1.0.0"}}"#,
            "packages/ui/package.json": #"{"name": "@acme/ui", "dependencies": {"@acme/tokens": "workspace:*"}}"#,
            "packages/tokens/package.json": #"{"name": "@acme/tokens"}"#,
            "packages/auth/package.json": #"{"name": "@acme/auth"}"#,
        ])
        // billing changes: accounts depends on it, web on accounts.
        try workspace.write(["services/billing/main.go": "2"])
        try workspace.commitAll("billing")
        let changes = try await detect(workspace)
        #expect(reasons(changes) == ["billing": .files, "accounts": .dependency, "web": .dependency])
        #expect(changes.component(named: "web")?.via == ["accounts"])
        #expect(changes.component(named: "web")?.files == ["services/billing/main.go"])

        // A package two steps away (admin -> @acme/ui -> @acme/tokens), stated only in package.json.
        try workspace.write(["packages/tokens/colors.css": "red"])
        try workspace.commitAll("tokens")
        #expect(reasons(try await detect(workspace)) == ["admin": .dependency])

        // A package under packages/ named without workspace: still counts; it is in the workspace.
        try workspace.write(["packages/auth/index.js": "1"])
        try workspace.commitAll("auth")
        #expect(reasons(try await detect(workspace)) == ["billing": .dependency, "accounts": .dependency, "web": .dependency])
    }

    @Test func aDependencyCycleIsAConfigErrorNamingIt() throws {
        let workspace = try repository(extra: [
            "apps/web/slipway.yml": "run: x\ndepends_on: [accounts]\n",
            "services/accounts/slipway.yml": "depends_on: [billing]\n",
            "services/billing/slipway.yml": "depends_on: [web]\n",
        ])
        #expect {
            try ChangeDetector(workspace: Workspace.load(at: workspace.root))
        } throws: { error in
            (error as? SlipwayError) == .usage("apps/web/slipway.yml:2:13: dependency cycle: web -> accounts -> billing -> web")
        }
    }

    @Test func globalPathsChangeEveryComponent() async throws {
        let workspace = try repository(extra: ["deploy/k8s/base.yaml": "1"])
        try workspace.write(["deploy/k8s/base.yaml": "2", "apps/web/index.js": "2"])
        try workspace.commitAll("global")
        let changes = try await detect(workspace)
        #expect(reasons(changes) == ["web": .files, "admin": .global, "accounts": .global, "billing": .global])
        #expect(changes.component(named: "admin")?.files == ["deploy/k8s/base.yaml"])

        try workspace.write(["slipway.yml": "parallelism: 2\n"])
        try workspace.commitAll("config")
        #expect(try await detect(workspace).components.count == 4)

        try workspace.write(["docs/readme.md": "x"])
        try workspace.commitAll("docs only")
        #expect(try await detect(workspace).components.isEmpty)
    }

    @Test func renamesCountOnBothSidesAndDeletesCount() async throws {
        let workspace = try repository(extra: ["apps/web/big.txt": String(repeating: "same content line\n", count: 50)])
        try workspace.git("mv", "apps/web/big.txt", "services/accounts/big.txt")
        try workspace.commitAll("move")
        let moved = try await detect(workspace)
        #expect(reasons(moved) == ["web": .files, "accounts": .files])
        #expect(Set(moved.files) == ["apps/web/big.txt", "services/accounts/big.txt"])

        try workspace.git("rm", "-q", "services/billing/main.go")
        try workspace.commitAll("delete a file")
        #expect(reasons(try await detect(workspace)) == ["billing": .files])

        // A component deleted at head is no longer a component.
        try workspace.git("rm", "-q", "-r", "apps/admin")
        try workspace.commitAll("delete a component")
        let deleted = try await detect(workspace)
        #expect(deleted.components.isEmpty)
        #expect(deleted.files.sorted() == ["apps/admin/Makefile", "apps/admin/index.js"])
    }

    @Test func componentsAreThoseOfTheHeadCommitNotOfTheWorkingTree() async throws {
        let workspace = try repository(extra: [
            "apps/admin/slipway.yml": "paths: [\"docs/admin/**\"]\n", "docs/admin/guide.md": "1",
        ])
        try workspace.write(["apps/admin/index.js": "2", "docs/admin/guide.md": "2"])
        try workspace.commitAll("admin")
        let atAdmin = try workspace.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        // Deleted from the working tree only: HEAD still holds it.
        #expect(try workspace.run("/bin/rm", ["-rf", "apps/admin"]).status == 0)
        #expect(reasons(try await detect(workspace)) == ["admin": .files])

        // Deleted in a later commit: a range ending before that still has it, with its settings then.
        try workspace.commitAll("delete admin")
        try workspace.write(["docs/admin/guide.md": "3"])
        try workspace.commitAll("guide")
        #expect(reasons(try await detect(workspace, base: "HEAD~3", head: atAdmin)) == ["admin": .files])
        try workspace.git("checkout", "-q", "-b", "old", atAdmin)
        try workspace.write(["docs/admin/guide.md": "4"])
        try workspace.commitAll("guide on old")
        let old = try workspace.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try workspace.git("checkout", "-q", "main")
        #expect(reasons(try await detect(workspace, head: old)) == ["admin": .paths])

        // A component only in the working tree is not one of the head's, even when a global path changes.
        try workspace.write(["apps/draft/Makefile": Self.makefile, "slipway.yml": "parallelism: 3\n"])
        try workspace.git("add", "slipway.yml")
        try workspace.git("commit", "-q", "-m", "config")
        #expect(Set(try await detect(workspace).components.map(\.name)) == ["web", "accounts", "billing"])
    }

    @Test func mergeCommitsAndABaseThatIsNotAnAncestor() async throws {
        let workspace = try repository()
        let start = try workspace.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        try workspace.git("checkout", "-q", "-b", "feature")
        try workspace.write(["apps/web/index.js": "feature"])
        try workspace.commitAll("feature")
        try workspace.git("checkout", "-q", "main")
        try workspace.write(["services/accounts/main.go": "main"])
        try workspace.commitAll("main")
        try workspace.git("merge", "-q", "--no-edit", "feature")
        let merged = try await detect(workspace, base: start)
        #expect(reasons(merged) == ["web": .files, "accounts": .files])

        // base...head diffs from the merge-base: the side branch's own change does not count.
        try workspace.git("checkout", "-q", "-b", "side", start)
        try workspace.write(["services/billing/main.go": "side"])
        try workspace.commitAll("side")
        let changes = try await detect(workspace, base: "side", head: "main")
        #expect(reasons(changes) == ["web": .files, "accounts": .files])
        #expect(changes.mergeBase == start)
    }

    @Test func anEmptyDiffAndAnUnknownBase() async throws {
        let workspace = try repository()
        let changes = try await detect(workspace, base: "HEAD")
        #expect(changes.files.isEmpty && changes.components.isEmpty)
        await #expect(throws: SlipwayError(.git(.notACommit(what: "base", reference: "nope", root: workspace.root.path)))) {
            try await detect(workspace, base: "nope")
        }
    }

    @Test func tenThousandChangedFiles() async throws {
        let workspace = try repository()
        // One commit of 10,001 files written straight into git with fast-import (no working tree to fill).
        var stream = "commit refs/heads/main\ncommitter Test <test@slipway.local> 1700000000 +0000\ndata 4\nmany\nfrom main^0\n"
        for index in 0..<10_000 { stream += "M 100644 inline apps/web/generated/\(index / 100)/file\(index).txt\ndata \(String(index).utf8.count)\n\(index)\n" }
        stream += "M 100644 inline services/billing/one.go\ndata 1\n1\n"
        let input = workspace.root.appendingPathComponent("stream")
        try stream.write(to: input, atomically: true, encoding: .utf8)
        #expect(try workspace.run("/bin/sh", ["-c", "git fast-import --quiet < stream"]).status == 0)
        let changes = try await detect(workspace)
        #expect(changes.files.count == 10_001)
        #expect(changes.component(named: "web")?.files.count == 10_000)
        #expect(reasons(changes) == ["web": .files, "billing": .files])
    }

    /// Replaces the loose object `name` (a `git rev-parse` expression) with bytes git cannot inflate.
    func damage(_ workspace: TemporaryWorkspace, _ name: String) throws {
        let id = try workspace.git("rev-parse", name).trimmingCharacters(in: .whitespacesAndNewlines)
        let file = workspace.root.appendingPathComponent(".git/objects/\(id.prefix(2))/\(id.dropFirst(2))")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        try Data("damaged".utf8).write(to: file)
    }

    @Test func aDamagedTreeAtHeadIsAnErrorNotAnEmptyFolder() async throws {
        let workspace = try repository(extra: ["apps/web/slipway.yml": "paths: [\"docs/**\"]\n"])
        try workspace.write(["docs/guide.md": "1"])
        try workspace.commitAll("docs")
        // Only head's reading opens apps/web's tree: the diff and the merge-base never do. Read as
        // an empty folder it would lose web's `paths`, and web with them.
        try damage(workspace, "HEAD:apps/web")
        await #expect {
            try await detect(workspace)
        } throws: { error in
            "\(error)".contains("(apps/web) is missing or unreadable") && !"\(error)".contains("\n")
        }
    }

    /// Enough components that head's files are asked for in several chunks (each smaller than a
    /// pipe holds), with settings, manifests and packages: the same components, settings and
    /// dependencies as the working tree at head gives.
    @Test func manyComponentsReadInChunksAnswerAsTheWorkingTree() async throws {
        var files: [String: String] = [:]
        for index in 0..<300 {
            let folder = index % 2 == 0 ? "apps/c\(index)" : "services/c\(index)"
            files["\(folder)/Makefile"] = Self.makefile
            files["\(folder)/main.txt"] = "\(index)"
            if index % 3 == 1 { files["\(folder)/slipway.yml"] = "depends_on: [c\(index - 1)]\n" }
            if index % 3 == 2 { files["\(folder)/slipway.yml"] = "paths: [\"packages/p\(index % 7)/**\", \"!**/*.md\"]\n" }
            if index % 5 == 0 {
                files["\(folder)/package.json"] = #"{"name": "c\#(index)", "dependencies": {"@acme/p\#(index % 7)": "workspace:*"}}"#
            }
        }
        for package in 0..<7 {
            files["packages/p\(package)/package.json"] = #"{"name": "@acme/p\#(package)"}"#
            files["packages/p\(package)/index.js"] = "1"
        }
        let workspace = try repository(extra: files)
        var changed: [String: String] = ["deploy/x.yaml": "1"]
        for package in [1, 4] { changed["packages/p\(package)/index.js"] = "2" }
        for index in stride(from: 0, to: 300, by: 37) {
            changed[index % 2 == 0 ? "apps/c\(index)/main.txt" : "services/c\(index)/main.txt"] = "changed"
        }
        try workspace.write(changed)
        try workspace.commitAll("some of everything")
        let changes = try await ChangeDetector(root: workspace.root).detect(base: "HEAD~1", head: "HEAD", baseSource: "given")

        let loaded = try Workspace.load(at: workspace.root)
        let expected = ChangeDetector.classify(
            changes.files.map { ChangedFile(path: $0, change: .modified) }, components: loaded.components,
            graph: try DependencyGraph(workspace: loaded), globalPaths: loaded.config.globalPaths)
        #expect(changes.components.count > 30)
        #expect(changes.components == expected)
    }

    @Test func uncommittedChangesCountWhenAsked() async throws {
        let workspace = try repository()
        try workspace.write(["apps/admin/index.js": "dirty", "services/billing/untracked.go": "x"])
        let engine = try Workspace.load(at: workspace.root)
        let changes = try await ChangeDetector(workspace: engine)
            .detect(base: "HEAD", head: "HEAD", baseSource: "given", includeUncommitted: true)
        #expect(reasons(changes) == ["admin": .files, "billing": .files])
        #expect(try await detect(workspace, base: "HEAD").components.isEmpty)
    }

    @Test func aFailedRunLeavesTheBaseAtTheLastSuccessfulOne() async throws {
        let workspace = try repository(extra: ["slipway.yml": "branches:\n  main: staging\n"])
        let engine = try await Engine.open(workspace: workspace.root, state: nil, output: { _ in })
        // No run yet: the merge-base with the branch that deploys to staging.
        #expect(try await engine.changeBase(environment: "staging") == ("main", "merge-base with main"))

        let first = try workspace.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        let succeeded = try await pipelineRun(engine, commit: first, fails: false)
        try workspace.write(["apps/web/index.js": "2"])
        try workspace.commitAll("web")
        let second = try workspace.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await pipelineRun(engine, commit: second, fails: true)
        try workspace.write(["services/billing/main.go": "2"])
        try workspace.commitAll("billing")

        let base = try await engine.changeBase(environment: "staging")
        #expect(base == (first, "last successful pipeline run \(succeeded)"))
        // web changed in the failed run's range: it still counts.
        let changes = try await ChangeDetector(workspace: engine.workspace).detect(base: base.base, head: "HEAD", baseSource: base.source)
        #expect(reasons(changes) == ["web": .files, "billing": .files])
        await #expect(throws: SlipwayError.self) { try await engine.changeBase(environment: "production") }
    }

    /// Records a pipeline run at `commit` through the real executor; one that fails fails a stage.
    func pipelineRun(_ engine: Engine, commit: String, fails: Bool) async throws -> String {
        var plan = RunPlan(kind: .pipeline, component: nil, environment: "staging")
        plan.commit = commit
        plan.stages = [RunPlan.Stage(name: "deploy-apps", description: "test") { _ throws(SlipwayError) in
            if fails { throw .failure("injected") }
        }]
        let result = try await engine.executor.execute(plan, origin: "cli")
        #expect(result.succeeded == !fails)
        return result.runID
    }
}
