import Foundation
import SlipwayCore
import Testing
@testable import SlipwayConsole

/// The console's first frame comes from the stored projection alone; the slower reads of the
/// first load (alerts, objectives, backups, the agent) follow without reading it again.
@Suite struct FirstFrameTests {
    @Test func theFleetIsPostedBeforeTheFullLoadWhichFoldsOnFromIt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("first-frame-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("apps/accounts"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let engine = try await Engine.open(
            workspace: folder, state: folder.appendingPathComponent(".slipway/state.db"), output: { _ in })
        _ = try engine.store.append(NewEvent(
            .deploySucceeded, component: "accounts", environment: "staging",
            details: EventDetails(runKind: .deploy, version: "v1", color: "blue")))
        let reads = engine.store.projectionReads
        let mailbox = ConsoleMailbox()
        var watcher = StoreWatcher(engine: engine, readOnly: true, mailbox: mailbox)
        // No heartbeat during the test: a second load can only be the first load's full pass.
        watcher.environment[StoreWatcher.heartbeatHook] = "600"
        let task = Task { [watcher] in await watcher.watch() }
        defer { task.cancel() }
        var snapshots: [ConsoleSnapshot] = []
        let deadline = Date().addingTimeInterval(30)
        while snapshots.count < 2, Date() < deadline {
            for case .loaded(let snapshot, _) in mailbox.takeMessages() { snapshots.append(snapshot) }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(snapshots.count == 2, "the fleet alone, then the full first load")
        #expect(snapshots.first?.state("accounts", "staging")?.liveVersion == "v1")
        #expect(snapshots.first?.rows == snapshots.last?.rows)
        #expect(engine.store.projectionReads - reads == 1, "the full pass folds on from the fleet's read")
    }
}
