import Foundation
import SlipwayCore
import SlipwayTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The agent's backup schedule on a real PostgreSQL, and the clusters of drills killed with
/// kill -9 stopped and removed by the next prune or drill.
@Suite(.timeLimit(.minutes(5)))
struct BackupScheduleCommandTests {
    static let folder = RestoreDrillTests.folder

    /// What the scheduler said.
    final class Said: Sendable {
        let lines = Mutex<[String]>([])
    }

    static func restores(_ fixture: RestoreDrillTests.Fixture) -> URL {
        fixture.workspace.root.appendingPathComponent("\(folder)/restores")
    }

    /// The drill clusters under `restores/`, and the postmaster each one's pid file names.
    static func drillClusters(_ fixture: RestoreDrillTests.Fixture) -> [(name: String, pid: Int32?)] {
        let restores = restores(fixture)
        return fixture.restoresLeft().filter { $0.hasPrefix("drill-") }.sorted().map { name in
            let pidFile = restores.appendingPathComponent("\(name)/data/postmaster.pid")
            let pid = (try? String(contentsOf: pidFile, encoding: .utf8))?.split(separator: "\n").first.flatMap { Int32($0) }
            return (name, pid)
        }
    }

    static func isRunning(_ pid: Int32) -> Bool { kill(pid, 0) == 0 }

    /// The cluster folder of a drill that still runs (its lock held by the test).
    static let running = "drill-20991231T000000.000Z"

    /// Kills a drill once its throwaway cluster answers, as kill -9 from outside would.
    static func killedDrill(_ fixture: RestoreDrillTests.Fixture) throws -> (name: String, pid: Int32) {
        let killed = try fixture.slipway(
            "backup", "verify", "accounts", "--env", "staging", "--restore", environment: ["SLIPWAY_CRASH_AT": "drill-restored"])
        #expect(killed.status != 0)
        let clusters = drillClusters(fixture).filter { $0.name != running }
        #expect(clusters.count == 1, "\(clusters)")
        let cluster = try #require(clusters.first)
        let pid = try #require(cluster.pid, "the killed drill's server still runs")
        #expect(isRunning(pid))
        return (cluster.name, pid)
    }

    static func waitUntilStopped(_ pid: Int32) async throws {
        for _ in 0..<300 where isRunning(pid) { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!isRunning(pid), "the leftover server \(pid) is stopped")
    }

    @Test func aKilledDrillsClusterIsStoppedAndRemovedByPruneAndByTheNextDrill() async throws {
        try await RestoreDrillTests.withFixture { fixture in
            // A drill still running (its lock held) is never touched.
            let running = Self.restores(fixture).appendingPathComponent(Self.running)
            try FileManager.default.createDirectory(at: running.appendingPathComponent("data"), withIntermediateDirectories: true)
            let lock = open(Self.restores(fixture).appendingPathComponent(".drill-20991231T000000.000Z.lock").path, O_CREAT | O_RDWR, 0o600)
            #expect(lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) == 0)
            defer { close(lock) }

            let first = try Self.killedDrill(fixture)
            let pruned = try fixture.slipway("backup", "prune", "accounts", "--env", "staging")
            #expect(pruned.status == 0, "\(pruned.stderr)")
            let said = "removed the leftover restore drill cluster restores/\(first.name) of database 'main' of accounts in staging "
                + "(its drill was killed; its server stopped)"
            #expect(pruned.stdout.split(separator: "\n").contains { $0 == said }, "\(pruned.stdout)")
            try await Self.waitUntilStopped(first.pid)
            #expect(fixture.restoresLeft().sorted() == [".drill-20991231T000000.000Z.lock", "drill-20991231T000000.000Z"], "\(fixture.restoresLeft())")

            let second = try Self.killedDrill(fixture)
            let drilled = try fixture.slipway("backup", "verify", "accounts", "--env", "staging", "--restore")
            #expect(drilled.status == 0, "\(drilled.stderr)")
            let lines = drilled.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "removed the leftover restore drill cluster restores/\(second.name) of database 'main' of accounts in staging "
                + "(its drill was killed; its server stopped)", "\(drilled.stdout)")
            #expect(lines.last?.hasPrefix("restore drill ok: ") == true, "\(drilled.stdout)")
            try await Self.waitUntilStopped(second.pid)
            #expect(Self.drillClusters(fixture).map(\.name) == ["drill-20991231T000000.000Z"])
        }
    }

    @Test func theAgentsSchedulePassTakesABaseBackupDrillsItAndWaitsForTheInterval() async throws {
        try await RestoreDrillTests.withFixture(backUp: false) { fixture in
            try fixture.workspace.write(["slipway.yml": RestoreDrillTests.config + "    backup_schedule: hourly\n"])
            let said = Said()
            let scheduler = BackupScheduler(
                root: fixture.workspace.root, store: try SQLiteStore(path: fixture.workspace.statePath, actor: "agent"),
                environment: fixture.env, output: { line in said.lines.withLock { $0.append(line) } })

            await scheduler.pass(now: Date())
            let first = said.lines.withLock { $0 }
            #expect(first.count == 2, "\(first)")
            #expect(first.first?.hasPrefix("scheduled base backup base-") == true && first.first?.contains("of database 'main' of accounts in staging") == true, "\(first)")
            #expect(first.last?.hasPrefix("scheduled restore drill of database 'main' of accounts in staging passed in ") == true, "\(first)")
            #expect(first.last?.hasSuffix("1 user table, 1 row") == true, "\(first)")
            let listed = try #require(try fixture.slipway.json("backup", "list", "accounts", "--env", "staging") as? [Any])
            #expect(listed.count == 1)
            let drill = try #require(try fixture.drilledEvents().first)
            #expect(drill.actor == "agent" && drill.details?.outcome == "ok")
            #expect(try fixture.status()["rto"] as? String == "ok")

            // The WAL from before the first base backup restores nothing now: the next pass prunes it.
            await scheduler.pass(now: Date())
            let pruned = said.lines.withLock { $0 }
            #expect(pruned.count == 3, "\(pruned)")
            #expect(pruned.last?.hasPrefix("scheduled prune of database 'main' of accounts in staging: 0 backups, ") == true, "\(pruned)")
            // Then nothing is due until the hour has passed; then a base backup, the weekly drill not yet.
            await scheduler.pass(now: Date())
            #expect(said.lines.withLock { $0.count } == 3, "\(said.lines.withLock { $0 })")
            await scheduler.pass(now: Date().addingTimeInterval(3_700))
            let later = said.lines.withLock { $0 }
            #expect(later.count == 4 && later.last?.hasPrefix("scheduled base backup base-") == true, "\(later)")
            #expect(try fixture.drilledEvents().count == 1)
            #expect(fixture.restoresLeft().filter { !$0.hasPrefix(".") }.isEmpty)
        }
    }
}
