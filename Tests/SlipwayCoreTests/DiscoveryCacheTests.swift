import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The discovery cache in `.slipway/cache/discovery.json`: change detection at a head whose settings
/// files it has read before parses none of them again, and answers as a cold run does.
@Suite struct DiscoveryCacheTests {
    static let makefile = "test:\n\t@true\n"

    /// Components with `paths`, `depends_on` and package dependencies (one package scoped, two
    /// folders down), a file under `apps/` that is no component, committed on main.
    func repository(function: String = #function) throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": "parallelism: 2\n",
            "apps/README.md": "not a component",
            "apps/web/Makefile": Self.makefile, "apps/web/index.js": "1",
            "apps/web/slipway.yml": "paths: [\"docs/web/**\", \"!docs/web/*.draft\"]\ndepends_on: [accounts]\n",
            "apps/admin/Makefile": Self.makefile,
            "apps/admin/package.json": #"{"name": "@acme/admin", "dependencies": {"@acme/ui": "workspace:*"}}"#,
            "services/accounts/Makefile": Self.makefile, "services/accounts/main.go": "1",
            "services/accounts/slipway.yml": "paths:\n  - added|modified: \"schemas/**\"\n",
            "packages/@acme/ui/package.json": #"{"name": "@acme/ui"}"#, "packages/@acme/ui/index.js": "1",
            "docs/web/guide.md": "1", "schemas/a.sql": "1",
        ], function: function)
        try workspace.commitAll("first")
        return workspace
    }

    func cacheFile(_ workspace: TemporaryWorkspace) -> URL {
        workspace.root.appendingPathComponent(".slipway/cache/discovery.json")
    }

    func detect(_ workspace: TemporaryWorkspace, base: String = "HEAD~1", head: String = "HEAD") async throws -> ChangeSet {
        try await ChangeDetector(root: workspace.root).detect(base: base, head: head, baseSource: "given")
    }

    func reasons(_ changes: ChangeSet) -> [String: ChangeSet.Reason] {
        Dictionary(uniqueKeysWithValues: changes.components.map { ($0.name, $0.reason) })
    }

    /// Changes every kind of input: a path filter, an exclusion, a change type, a package two folders down.
    func changeEverything(_ workspace: TemporaryWorkspace) throws {
        try workspace.write([
            "docs/web/guide.md": "2", "docs/web/next.draft": "1", "schemas/b.sql": "1",
            "packages/@acme/ui/index.js": "2",
        ])
        try workspace.commitAll("everything")
    }

    @Test func aHitAnswersAsAColdRunAndIsReallyUsed() async throws {
        let workspace = try repository()
        try changeEverything(workspace)
        let cold = try await detect(workspace)
        #expect(reasons(cold) == ["web": .paths, "admin": .dependency, "accounts": .paths])
        #expect(cold.component(named: "web")?.files == ["docs/web/guide.md"])
        #expect(FileManager.default.fileExists(atPath: cacheFile(workspace).path))
        #expect(try await detect(workspace) == cold)

        // The hit takes what the entry says, not the file: an entry edited by hand (same blob) shows it.
        let data = try Data(contentsOf: cacheFile(workspace))
        var cache = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var components = try #require(cache["components"] as? [String: Any])
        var web = try #require(components["apps/web"] as? [String: Any])
        web["paths"] = [["pattern": "nothing/**"]]
        components["apps/web"] = web
        cache["components"] = components
        try JSONSerialization.data(withJSONObject: cache).write(to: cacheFile(workspace))
        // (web still depends on accounts, so it comes in by that now instead of its own paths.)
        #expect(reasons(try await detect(workspace)) == ["web": .dependency, "admin": .dependency, "accounts": .paths])

        // The cache folder is ignored by git: nothing to commit after detection wrote it.
        #expect(try workspace.git("status", "--porcelain", "--ignored=no").isEmpty)
    }

    @Test func aChangedSettingsFileAtANewHeadIsReadAgain() async throws {
        let workspace = try repository()
        try workspace.write(["docs/web/guide.md": "2"])
        try workspace.commitAll("guide")
        #expect(reasons(try await detect(workspace))["web"] == .paths)

        // web now follows docs/other/**: the cached entry (for the old blob) must not answer.
        try workspace.write(["apps/web/slipway.yml": "paths: [\"docs/other/**\"]\n"])
        try workspace.commitAll("web follows other docs")
        try workspace.write(["docs/web/guide.md": "3", "docs/other/page.md": "1"])
        try workspace.commitAll("docs")
        let changes = try await detect(workspace)
        #expect(reasons(changes)["web"] == .paths)
        #expect(changes.component(named: "web")?.files == ["docs/other/page.md"])
        #expect(reasons(changes)["accounts"] == nil)

        // And the workspace configuration changing (defaults and overrides live there) drops every entry.
        try workspace.write(["slipway.yml": "parallelism: 2\ncomponents:\n  admin:\n    paths: [\"docs/**\"]\n"])
        try workspace.commitAll("admin follows docs")
        try workspace.write(["docs/other/page.md": "2"])
        try workspace.commitAll("page")
        #expect(reasons(try await detect(workspace)) == ["web": .paths, "admin": .paths])
    }

    @Test(arguments: ["", "{", "not json at all\u{0}", #"{"format": 1, "components": 3}"#, #"{"format": 999, "slipway": "0", "config": "", "components": {}}"#])
    func aCorruptCacheIsIgnoredAndRewritten(_ garbage: String) async throws {
        let workspace = try repository()
        try changeEverything(workspace)
        let cold = try await detect(workspace)
        try Data(garbage.utf8).write(to: cacheFile(workspace))
        #expect(try await detect(workspace) == cold)
        let rewritten = try Data(contentsOf: cacheFile(workspace))
        let cache = try #require(try JSONSerialization.jsonObject(with: rewritten) as? [String: Any])
        #expect((cache["components"] as? [String: Any])?.keys.sorted() == ["apps/admin", "apps/web", "services/accounts"])
        #expect(try await detect(workspace) == cold)
    }

    @Test func aCachedSettingsFileIsNotReadFromGitAgain() async throws {
        let workspace = try repository()
        try changeEverything(workspace)
        let cold = try await detect(workspace)
        // apps/web's settings blob made unreadable (the range does not touch it, so the diff never
        // opens it): a warm run answers without it, a cold one cannot.
        let id = try workspace.git("rev-parse", "HEAD:apps/web/slipway.yml").trimmingCharacters(in: .whitespacesAndNewlines)
        let object = workspace.root.appendingPathComponent(".git/objects/\(id.prefix(2))/\(id.dropFirst(2))")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: object.path)
        try Data("damaged".utf8).write(to: object)
        #expect(try await detect(workspace) == cold)
        try FileManager.default.removeItem(at: cacheFile(workspace))
        await #expect {
            try await detect(workspace)
        } throws: { error in
            "\(error)".contains("\(id) is missing or unreadable")
        }
    }

    @Test func aCacheFolderThatCannotBeWrittenOnlyCostsTime() async throws {
        let workspace = try repository()
        try changeEverything(workspace)
        // `.slipway` as a file: no cache can be written under it.
        try Data("x".utf8).write(to: workspace.root.appendingPathComponent(".slipway"))
        try workspace.write([".gitignore": ".slipway\n"])
        let changes = try await detect(workspace)
        #expect(reasons(changes) == ["web": .paths, "admin": .dependency, "accounts": .paths])
    }
}
