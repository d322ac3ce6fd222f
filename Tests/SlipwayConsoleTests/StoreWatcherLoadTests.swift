import Foundation
import GRDB
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

    /// A heartbeat reads the stored projection whole and makes again only the rows whose state it
    /// found changed: a stored projection rewritten behind the console (as a rebuild by another
    /// process that found it wrong rewrites it) still shows.
    @Test func aHeartbeatShowsAStoredProjectionRewrittenBehindTheConsole() async throws {
        let folder = try TemporaryWorkspace()
        for name in ["accounts", "billing", "search"] { try folder.makeFolder("services/\(name)") }
        let engine = try await Engine.open(workspace: folder.root, state: folder.statePath, output: { _ in })
        try engine.store.append([
            NewEvent(.deploySucceeded, component: "accounts", environment: "staging", details: EventDetails(version: "v1", color: "blue")),
            NewEvent(.deploySucceeded, component: "billing", environment: "production", details: EventDetails(version: "v1", color: "green")),
        ])
        let mailbox = try ConsoleMailbox()
        var watcher = StoreWatcher(engine: engine, readOnly: true, mailbox: mailbox)
        watcher.environment[StoreWatcher.heartbeatHook] = "0.2"
        let watching = Task { [watcher] in await watcher.watch() }
        defer { watching.cancel() }
        var latest: ConsoleSnapshot?
        let takeLoads = {
            for case .loaded(let snapshot, _) in mailbox.takeMessages() { latest = snapshot }
        }
        func liveVersion(_ rows: [FleetRow]?) -> String? {
            rows?.first { $0.component == "accounts" && $0.environment == "staging" }?.liveVersion
        }
        #expect(await Self.eventually { takeLoads(); return liveVersion(latest?.rows) == "v1" }, "the first load")

        try await DatabaseQueue(path: folder.statePath.path).write { db in
            try db.execute(sql: """
                UPDATE deployment_state SET state = replace(state, '"liveVersion":"v1"', '"liveVersion":"v9"')
                WHERE component = 'accounts'
                """)
        }
        #expect(liveVersion(try engine.fleet()) == "v9", "the stored projection was rewritten")
        #expect(await Self.eventually { takeLoads(); return liveVersion(latest?.rows) == "v9" }, "a heartbeat shows it")
        let snapshot = try #require(latest)
        #expect(snapshot.rows == (try engine.fleet()))
        #expect(snapshot.components == FleetComponent.group(snapshot.rows))
        #expect(snapshot.components.first { $0.name == "accounts" }?.deployments["staging"]?.liveVersion == "v9")
    }
}
