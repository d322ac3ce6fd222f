import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// `FolderListing` tells folders from files by the kind `readdir` reports: it must say what
/// `FileManager` says of each entry, links included, and fail as `FileManager` would.
@Suite struct FolderListingTests {
    @Test func tellsFoldersFromFilesAsFileManagerDoesLinksIncluded() throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/api/Makefile": "",
            "services/.hidden/Makefile": "",
            "services/notes.txt": "",
            "elsewhere/worker/Makefile": "",
        ])
        let services = workspace.root.appendingPathComponent("services")
        let manager = FileManager.default
        try manager.createSymbolicLink(atPath: services.appendingPathComponent("linked").path, withDestinationPath: "../elsewhere/worker")
        try manager.createSymbolicLink(atPath: services.appendingPathComponent("dangling").path, withDestinationPath: "missing")
        try manager.createSymbolicLink(atPath: services.appendingPathComponent("file-link").path, withDestinationPath: "notes.txt")

        let listing = try #require(try FolderListing(path: services.path))
        let expected = try manager.contentsOfDirectory(atPath: services.path).map { name in
            var isDirectory: ObjCBool = false
            let exists = manager.fileExists(atPath: services.appendingPathComponent(name).path, isDirectory: &isDirectory)
            return FolderListing.Entry(name: name, isFolder: exists && isDirectory.boolValue)
        }
        #expect(listing.entries.sorted { $0.name < $1.name } == expected.sorted { $0.name < $1.name })
        #expect(listing.entries.filter(\.isFolder).map(\.name).sorted() == [".hidden", "api", "linked"])
    }

    @Test func aMissingFolderIsNoListingAndAFileIsAnError() throws {
        let workspace = try TemporaryWorkspace(files: ["apps": "not a folder"])
        #expect(try FolderListing(path: workspace.root.appendingPathComponent("services").path) == nil)
        let file = workspace.root.appendingPathComponent("apps").path
        #expect {
            _ = try FolderListing(path: file)
        } throws: { error in
            (error as? SlipwayError)?.message == "cannot read \(file): Not a directory"
        }
    }

    @Test func aLinkedComponentFolderIsLoadedAndHiddenOrFileEntriesAreNot() throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/api/requirements.txt": "",
            "services/.cache/requirements.txt": "",
            "services/README.md": "",
            "shared/worker/package.json": "{}",
        ])
        try FileManager.default.createSymbolicLink(
            atPath: workspace.root.appendingPathComponent("services/worker").path, withDestinationPath: "../shared/worker")
        let loaded = try Workspace.load(at: workspace.root)
        #expect(loaded.components.map { "\($0.name) \($0.technology)" } == ["api python", "worker nodejs"])
        #expect(loaded.problems.isEmpty)
    }
}
