import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// `Workspace.load` lists each component folder once and probes only the names listed: it must
/// answer as the file system does, and see a folder as it is at each load.
@Suite struct ComponentFolderTests {
    @Test func answersAsTheFileSystemDoesForFilesFoldersLinksAndSubfolders() throws {
        let workspace = try TemporaryWorkspace(files: [
            "apps/web/package.json": "{}",
            "apps/web/wrangler.toml": "name = \"web\"\n",
            "apps/web/deploy/Dockerfile": "FROM scratch",
            "apps/web/Makefile/inside": "",
        ])
        let directory = workspace.root.appendingPathComponent("apps/web")
        try FileManager.default.createSymbolicLink(
            atPath: directory.appendingPathComponent("index.html").path, withDestinationPath: "missing.html")
        let folder = ComponentFolder(directory)
        let names = [
            "package.json", "wrangler.toml", "deploy/Dockerfile", "deploy/ecs-task-definition.json", "Makefile",
            "index.html", "Dockerfile", "requirements.txt", "slipway.yml",
        ]
        for name in names {
            let onDisk = FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
            #expect(folder.fileExists(name) == onDisk, "\(name)")
            #expect(folder.text(of: name) == (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)), "\(name)")
        }
        #expect(!folder.mayHold("requirements.txt") && !folder.mayHold("deploy2/Dockerfile"))
        #expect(folder.mayHold("MAKEFILE") && folder.mayHold("deploy/anything"))
    }

    @Test func aFolderThatCannotBeListedIsAskedEverything() {
        let folder = ComponentFolder(URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)"))
        #expect(folder.mayHold("package.json"))
        #expect(!folder.fileExists("package.json"))
        #expect(folder.text(of: "wrangler.toml") == nil)
    }

    @Test func aComponentEditedBetweenLoadsIsSeenAsItIsNow() throws {
        let workspace = try TemporaryWorkspace(files: [
            "apps/web/package.json": "{}",
            "services/api/requirements.txt": "",
        ])
        let before = try Workspace.load(at: workspace.root)
        #expect(before.components.map { "\($0.name) \($0.technology)/\($0.target)" } == ["web nodejs/unknown", "api python/unknown"])
        try workspace.write([
            "apps/web/wrangler.toml": "pages_build_output_dir = \"dist\"\n",
            "services/api/Makefile": "APP_TYPE := docker\nDEPLOYMENT_TARGET := local\ndeploy:\n\ttrue\n",
            "services/api/slipway.yml": "technology: rust\n",
        ])
        let after = try Workspace.load(at: workspace.root)
        #expect(after.components.map { "\($0.name) \($0.technology)/\($0.target)" } == ["web nodejs/cloudflare-pages", "api rust/local"])
        #expect(try after.component(named: "api").hasGoal("deploy"))
    }
}
