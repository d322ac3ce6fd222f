import Foundation
import GRDB
import SlipwayCore
import SlipwayTestSupport
import Testing

@Suite struct EventStoreTests {
    func deploy(_ store: EventStore, _ component: String, _ environment: String, _ version: String, color: String? = nil) throws {
        let run = RunRecord.newID()
        try store.append([
            NewEvent(.runStarted, component: component, environment: environment, runID: run,
                     details: EventDetails(runKind: .deploy, version: version)),
            NewEvent(.deploySucceeded, component: component, environment: environment, runID: run,
                     details: EventDetails(runKind: .deploy, version: version, commit: "c-\(version)", color: color)),
            NewEvent(.runFinished, component: component, environment: environment, runID: run,
                     details: EventDetails(runKind: .deploy, version: version, outcome: "succeeded")),
        ])
    }

    @Test func storeFileIsPrivateAndInWALMode() throws {
        let workspace = try TemporaryWorkspace()
        let store = try SQLiteStore(path: workspace.statePath)
        try deploy(store, "accounts", "staging", "v1")
        let mode = try FileManager.default.attributesOfItem(atPath: workspace.statePath.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let journal = try DatabaseQueue(path: workspace.statePath.path).read { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode")
        }
        #expect(journal == "wal")
    }

    @Test func projectionFollowsDeploysAndKeepsPreviousVersions() throws {
        let workspace = try TemporaryWorkspace()
        let store = try SQLiteStore(path: workspace.statePath)
        try deploy(store, "accounts", "staging", "v1", color: "blue")
        try deploy(store, "accounts", "staging", "v2", color: "green")
        try deploy(store, "accounts", "production", "v1")
        let state = try #require(try store.projection().states[.init(component: "accounts", environment: "staging")])
        #expect(state.liveVersion == "v2")
        #expect(state.liveColor == "green")
        #expect(state.previousVersions == ["v1"])
        #expect(state.lastDeploy?.outcome == "succeeded")
        #expect(state.runsInProgress.isEmpty)
    }

    @Test func manyProcessesMayOpenANewStoreAtOnce() async throws {
        let workspace = try TemporaryWorkspace()
        let path = workspace.statePath
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { _ = try SQLiteStore(path: path) }
            }
            try await group.waitForAll()
        }
        #expect(try SQLiteStore(path: path).latestEventID() == 0)
    }

    @Test func eventsAreAppendOnly() throws {
        let workspace = try TemporaryWorkspace()
        let store = try SQLiteStore(path: workspace.statePath)
        try deploy(store, "accounts", "staging", "v1")
        let queue = try DatabaseQueue(path: workspace.statePath.path)
        #expect(throws: (any Error).self) { try queue.write { db in try db.execute(sql: "DELETE FROM events") } }
        #expect(throws: (any Error).self) { try queue.write { db in try db.execute(sql: "UPDATE events SET actor = 'x'") } }
        #expect(try store.latestEventID() == 3)
    }

    @Test func aStoreFromANewerSchemaIsRefused() throws {
        let workspace = try TemporaryWorkspace()
        _ = try SQLiteStore(path: workspace.statePath)
        try DatabaseQueue(path: workspace.statePath.path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        let error = #expect(throws: SlipwayError.self) { try SQLiteStore(path: workspace.statePath) }
        #expect(
            error?.message.contains("was written by a newer Slipway (migrations unknown here: v99-from-the-future); this slipway knows up to v") == true,
            "\(error?.message ?? "")")
        #expect(error?.exitCode == 1)
    }

    @Test func unknownEventKindsAreKeptAndShownRaw() throws {
        let workspace = try TemporaryWorkspace()
        let store = try SQLiteStore(path: workspace.statePath)
        try deploy(store, "accounts", "staging", "v1")
        try DatabaseQueue(path: workspace.statePath.path).write { db in
            try db.execute(sql: """
                INSERT INTO events (time, actor, kind, schema_version, component, environment, run_id, payload)
                VALUES (0, 'future', 'canary.step_promoted', 2, 'accounts', 'staging', NULL, '{"weight":25}')
                """)
        }
        let events = try store.events()
        let unknown = try #require(events.last)
        #expect(unknown.knownKind == nil)
        #expect(unknown.details == nil)
        #expect(unknown.payload == #"{"weight":25}"#)
        #expect(try store.rebuildProjection().states[.init(component: "accounts", environment: "staging")]?.liveVersion == "v1")
    }

    @Test func secretsAreMaskedBeforeTheyAreStored() throws {
        let workspace = try TemporaryWorkspace()
        let masker = SecretMasker(environment: ["DEPLOY_TOKEN": "s3cr3t-value", "HOME": "/root"], names: [])
        let store = try SQLiteStore(path: workspace.statePath, masker: masker)
        try store.append(NewEvent(.deployRefused, component: "a", environment: "staging",
                                  details: EventDetails(reason: "token s3cr3t-value rejected")))
        try store.appendOutput(runID: "r1", firstSequence: 0, lines: ["using s3cr3t-value now"])
        #expect(try store.events().last?.payload.contains("s3cr3t-value") == false)
        #expect(try store.output(runID: "r1").map(\.text) == ["using **** now"])
        let raw = try Data(contentsOf: workspace.statePath) + ((try? Data(contentsOf: URL(fileURLWithPath: workspace.statePath.path + "-wal"))) ?? Data())
        #expect(raw.range(of: Data("s3cr3t-value".utf8)) == nil)
    }

    /// Property: after any sequence of deploys, rollbacks, cancels, health checks and
    /// interruptions, folding every event from scratch gives the incremental projection.
    @Test(arguments: [1, 2, 3])
    func rebuildEqualsIncrementalProjection(seed: UInt64) throws {
        let workspace = try TemporaryWorkspace()
        let store = try SQLiteStore(path: workspace.statePath)
        var random = SeededGenerator(seed: seed)
        let components = ["accounts", "admin", "landing-page", "qis"]
        let environments = ["development", "staging", "production"]
        var open: [(String, String, String, RunKind)] = []
        for step in 0..<1000 {
            let component = components.randomElement(using: &random)!
            let environment = environments.randomElement(using: &random)!
            let version = "v\(Int.random(in: 1...12, using: &random))"
            let run = "r\(seed)-\(step)"
            var batch: [NewEvent] = []
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<3:
                let kind: RunKind = Bool.random(using: &random) ? .deploy : .rollback
                batch.append(NewEvent(.runStarted, component: component, environment: environment, runID: run,
                                      details: EventDetails(runKind: kind, version: version)))
                open.append((run, component, environment, kind))
            case 3..<6 where !open.isEmpty:
                let (runID, c, e, kind) = open.remove(at: Int.random(in: 0..<open.count, using: &random))
                let outcome = ["succeeded", "failed", "cancelled", "interrupted"].randomElement(using: &random)!
                if outcome == "succeeded" {
                    batch.append(NewEvent(.stageFinished, component: c, environment: e, runID: runID,
                                          details: EventDetails(runKind: kind, stage: "deploy", outcome: "succeeded")))
                    batch.append(NewEvent(.deploySucceeded, component: c, environment: e, runID: runID, details: EventDetails(
                        runKind: kind, version: version, commit: "c\(version)",
                        color: Bool.random(using: &random) ? "blue" : nil)))
                    batch.append(NewEvent(.releaseTagged, component: c, environment: e, runID: runID,
                                          details: EventDetails(version: version, tag: "\(c)/\(e)/\(version)")))
                }
                batch.append(NewEvent(.runFinished, component: c, environment: e, runID: runID,
                                      details: EventDetails(runKind: kind, version: version, outcome: outcome)))
            case 6:
                batch.append(NewEvent(.cancelRequested, component: component, environment: environment, runID: run,
                                      details: EventDetails(runKind: .deploy)))
            case 7:
                batch.append(NewEvent(.healthChecked, component: component, environment: environment,
                                      details: EventDetails(version: version, reason: "probe", healthy: Bool.random(using: &random))))
            default:
                batch.append(NewEvent(.deploySucceeded, component: component, environment: environment, runID: run,
                                      details: EventDetails(runKind: .deploy, version: version)))
            }
            if !batch.isEmpty { try store.append(batch) }
        }
        let incremental = try store.projection()
        #expect(incremental.states.count > 6)
        let folded = try store.foldedProjection()
        #expect(folded == incremental)
        #expect(try store.rebuildProjection() == incremental)
        #expect(try store.projection() == incremental)
    }

    /// An append folds into the states its store object stored last, without reading them again,
    /// only while nothing else wrote: two store objects on one file (as two processes) take turns
    /// on one component, and a rebuild corrects a damaged state between two appends of one of them.
    @Test func anAppendFoldsIntoTheStatesAnotherWriterLeft() throws {
        let workspace = try TemporaryWorkspace()
        let first = try SQLiteStore(path: workspace.statePath)
        let second = try SQLiteStore(path: workspace.statePath)
        let key = Projection.Key(component: "accounts", environment: "staging")
        try deploy(first, "accounts", "staging", "v1")
        try deploy(second, "accounts", "staging", "v2")
        try deploy(first, "accounts", "staging", "v3")
        let state = try #require(try first.projection().states[key])
        #expect(state.liveVersion == "v3" && state.previousVersions == ["v2", "v1"], "\(state)")
        #expect(try first.projection() == first.foldedProjection())

        try DatabaseQueue(path: workspace.statePath.path).write { db in
            try db.execute(sql: "UPDATE deployment_state SET state = json_set(state, '$.liveVersion', 'damaged')")
        }
        try second.rebuildProjection()
        try first.append(NewEvent(.healthChecked, component: "accounts", environment: "staging", details: EventDetails(healthy: true)))
        #expect(try first.projection() == first.foldedProjection())
        #expect(try first.projection().states[key]?.liveVersion == "v3")
    }

    /// Appends from many threads of one process, each folding into what the one before stored.
    @Test func concurrentAppendsOfOneProcessKeepTheProjectionEqualToTheFold() async throws {
        let workspace = try TemporaryWorkspace()
        let store = try SQLiteStore(path: workspace.statePath)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for round in 0..<25 {
                        try deploy(store, "svc-\(round % 3)", "staging", "w\(worker)-r\(round)")
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.projection() == store.foldedProjection())
    }
}

@Suite struct StoreCheckTests {
    @Test func findsADriftedProjectionAndADamagedFile() throws {
        let workspace = try TemporaryWorkspace()
        do {
            let store = try SQLiteStore(path: workspace.statePath)
            try store.append(NewEvent(.deploySucceeded, component: "api", environment: "staging", runID: "r1",
                                      details: EventDetails(runKind: .deploy, version: "v1")))
        }
        let sound = StoreCheck.run(path: workspace.statePath)
        #expect(sound.isSound && sound.events == 1, "\(sound.problems)")

        let queue = try DatabaseQueue(path: workspace.statePath.path)
        try queue.write { db in try db.execute(sql: "UPDATE deployment_state SET state = replace(state, 'v1', 'v9')") }
        try queue.close()
        let drifted = StoreCheck.run(path: workspace.statePath)
        #expect(drifted.problems == ["the stored projection differs from the events folded again: run 'slipway store rebuild'"])

        // The check's own writes may leave pages of the schema in the WAL, which would hide the
        // damage done below to the file: move them into the file first.
        let checkpoint = try DatabaseQueue(path: workspace.statePath.path)
        try checkpoint.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try checkpoint.close()
        var bytes = try Data(contentsOf: workspace.statePath)
        let name = try #require(bytes.range(of: Data("grdb_migrations".utf8)))
        bytes[name.lowerBound + 9] = 0xFF
        try bytes.write(to: workspace.statePath)
        let damaged = StoreCheck.run(path: workspace.statePath)
        let problem = try #require(damaged.problems.first)
        #expect(problem.contains("is damaged (SQLite error 11: malformed database schema (grdb_migr\\u{FFFD}tions))"), "\(problem)")
        #expect(!problem.unicodeScalars.contains { $0 == "\u{FFFD}" || $0.properties.generalCategory == .control })
        let opening = #expect(throws: SlipwayError.self) { try SQLiteStore(path: workspace.statePath) }
        guard case .store(let path, .damaged(let said), _)? = opening?.reason else {
            Issue.record("expected a damaged store, got \(String(describing: opening))")
            return
        }
        #expect(path == workspace.statePath.path)
        #expect(said.hasPrefix("SQLite error 11: "), "\(said)")
    }
}

/// Who holds a lock, read from `/proc/locks` lines.
@Suite struct FileLockHolderTests {
    @Test func writersAreTheWriteLocksOnTheFilesOtherThanOurOwn() {
        let locks = """
            1: POSIX  ADVISORY  WRITE 13354 fe:00:5448987 1073741824 1073742335
            2: POSIX  ADVISORY  WRITE 13388 fe:00:16401744 120 120
            3: POSIX  ADVISORY  READ 13388 fe:00:16401744 123 123
            4: POSIX  ADVISORY  READ 11288 fe:00:16401744 128 128
            5: POSIX  ADVISORY  WRITE 13388 fe:00:16401744 121 121
            6: POSIX  ADVISORY  WRITE 400 fe:00:16401744 122 122
            7: FLOCK  ADVISORY  WRITE 7360 fe:00:16220431 0 EOF
            """
        #expect(FileLockHolder.writers(ofInodes: [16_401_744], in: locks, excluding: 400) == [13388])
        #expect(FileLockHolder.writers(ofInodes: [16_220_431, 5_448_987], in: locks, excluding: 1) == [13354, 7360])
        #expect(FileLockHolder.writers(ofInodes: [1], in: locks, excluding: 1).isEmpty)
    }
}
