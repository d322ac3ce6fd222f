import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// The one backup folder type both the store's and the databases' backups use: listing by
/// manifest, and partial folders told apart by whether their maker still holds the lock.
struct BackupFolderTests {
    func backup(_ id: String) -> DatabaseBackup {
        DatabaseBackup(
            id: id, kind: .base, component: "accounts", environment: "staging", database: "app", started: Date(), time: Date(),
            startLSN: nil, startWAL: nil, bytes: 0, serverVersion: 16, format: "plain")
    }

    @Test func aPartialStillBeingMadeIsLeftAloneAndOneWhoseMakerIsGoneIsRemoved() throws {
        let workspace = try TemporaryWorkspace()
        let folder = DatabaseBackupFolder(root: workspace.root.appendingPathComponent("backups"))
        let busy = try folder.begin("base-1")
        let stale = folder.root.appendingPathComponent(".base-2.partial")
        try FileManager.default.createDirectory(at: stale.appendingPathComponent("data"), withIntermediateDirectories: true)

        #expect(try folder.list().isEmpty, "partial folders are not backups")
        #expect(try folder.removeStalePartials() == ["base-2"])
        #expect(!FileManager.default.fileExists(atPath: stale.path))
        #expect(FileManager.default.fileExists(atPath: busy.folder.path), "its maker still holds the lock")

        try busy.complete(backup("base-1"))
        #expect(try folder.list().map(\.id) == ["base-1"])
        let hidden = try FileManager.default.contentsOfDirectory(atPath: folder.root.path).filter { $0.hasPrefix(".") }
        #expect(hidden.isEmpty, "\(hidden)")
    }

    @Test func aFreshIDSkipsOneTakenByAPartialBackup() throws {
        let workspace = try TemporaryWorkspace()
        let folder = DatabaseBackupFolder(root: workspace.root.appendingPathComponent("backups"))
        let now = Date()
        let first = try folder.begin(folder.freshID(.base, now: now))
        let second = folder.freshID(.base, now: now)
        #expect(second == first.id + "-2")
        first.abandon()
        #expect(try folder.removeStalePartials().isEmpty)
    }
}
