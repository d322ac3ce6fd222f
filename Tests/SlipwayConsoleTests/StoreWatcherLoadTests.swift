import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing
@testable import SlipwayConsole

/// Between heartbeats the watcher makes each load from the one before and the events since:
/// every such load shows the fleet as read afresh.
@Suite struct StoreWatcherLoadTests {
    private static func eventually(_ seconds: Double = 30, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }

    @Test func aLoadMadeFromTheOneBeforeEqualsTheFleetReadAfresh() async throws {
        let folder = try TemporaryWorkspace()
        for name in ["accounts", "billing", "search"] { try folder.makeFolder("services/\(name)") }
        let engine = try await Engine.open(workspace: folder.root, state: folder.statePath, output: { _ in })
        let mailbox = try ConsoleMailbox()
        var watcher = StoreWatcher(engine: engine, readOnly: true, mailbox: mailbox)
        watcher.environment[StoreWatcher.heartbeatHook] = "3600"
        let watching = Task { [watcher] in await watcher.watch() }
        defer { watching.cancel() }
        var latest: ConsoleSnapshot?
        let takeLoads = {
            for case .loaded(let snapshot, _) in mailbox.takeMessages() { latest = snapshot }
        }
        #expect(await Self.eventually { takeLoads(); return latest != nil }, "the first load")
        let events = [
            NewEvent(.runStarted, component: "accounts", environment: "staging", runID: "r1",
                     details: EventDetails(runKind: .deploy, version: "v1")),
            NewEvent(.deploySucceeded, component: "accounts", environment: "staging", runID: "r1",
                     details: EventDetails(runKind: .deploy, version: "v1", color: "blue")),
            NewEvent(.healthChecked, component: "billing", environment: "production", details: EventDetails(healthy: true)),
            NewEvent(.deploySucceeded, component: "billing", environment: "production", details: EventDetails(version: "v7", color: "green")),
            NewEvent(.runFinished, component: "accounts", environment: "staging", runID: "r1",
                     details: EventDetails(runKind: .deploy, version: "v1", outcome: "succeeded")),
            NewEvent(.releaseReady, component: "search", environment: "staging", details: EventDetails(version: "v2", color: "green")),
        ]
        for event in events {
            let id = try engine.store.append(event).id
            #expect(await Self.eventually { takeLoads(); return latest?.events.first?.id == id }, "a load holding event \(id)")
            let snapshot = try #require(latest)
            #expect(snapshot.rows == (try engine.fleet()), "after event \(id)")
            #expect(snapshot.components == FleetComponent.group(snapshot.rows), "after event \(id)")
        }
    }
}
