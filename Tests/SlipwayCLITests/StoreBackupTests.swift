import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `slipway backup create|list|verify|restore --store`: SQLite's online backup of the store while
/// the agent writes, checked copies, retention, and a restore that keeps the store it replaces.
@Suite(.serialized) struct StoreBackupTests {
    @Test func aBackupTakenWhileTheAgentWritesRestoresToAConsistentStore() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        #expect(try slipway("deploy-app", "web", "--env", "staging").status == 0)
        #expect(slipway.agentIsRunning)

        // Another process deploys through the agent over and over while the backups are taken.
        let stop = workspace.root.appendingPathComponent("stop-writing")
        let count = workspace.root.appendingPathComponent("writes")
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = ["-c", """
            n=0
            while [ ! -e "\(stop.path)" ]; do
              "$SLIPWAY" deploy-app web --env staging --version "v$n" >/dev/null 2>&1 || exit 1
              n=$((n+1)); echo $n > "\(count.path)"
            done
            """]
        writer.currentDirectoryURL = workspace.root
        writer.environment = ProcessInfo.processInfo.environment.merging(
            ["SLIPWAY": SlipwayProcess.binary.path, "SLIPWAY_ACTOR": "writer"]) { _, new in new }
        try writer.run()
        func writes() -> Int { Int((try? workspace.read("writes"))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0 }
        var ids: [String] = []
        for round in 1...3 {
            #expect(eventually(60) { writes() >= round * 2 }, "the writer deploys (\(writes()) so far)")
            let backup = try #require(try slipway.json("backup", "create", "--store") as? [String: Any])
            ids.append(try #require(backup["id"] as? String))
        }
        try Data().write(to: stop)
        writer.waitUntilExit()
        #expect(writer.terminationStatus == 0, "every deploy of the writer succeeded")

        for id in ids {
            let verified = try slipway("backup", "verify", id)
            #expect(verified.status == 0, "\(id): \(verified.stdout)\(verified.stderr)")
            #expect(verified.stdout.contains("ids contiguous, projection equals the events folded again"), "\(verified.stdout)")
        }
        let listed = try #require(try slipway.json("backup", "list") as? [[String: Any]])
        #expect(listed.compactMap { $0["id"] as? String } == ids)

        let live = try SQLiteStore(path: workspace.statePath)
        let eventsBefore = try live.latestEventID()
        let refused = try slipway("backup", "restore", "--store", ids[1])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the agent of this workspace runs") && refused.stderr.contains("'slipway agent stop'"), "\(refused.stderr)")
        #expect(try live.latestEventID() == eventsBefore, "a refused restore changes nothing")

        #expect(try slipway("agent", "stop").status == 0)
        let restored = try slipway("backup", "restore", "--store", ids[1])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("the store it replaced is kept as backup store-"), "\(restored.stdout)")

        let check = try slipway("store", "check")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let store = try SQLiteStore(path: workspace.statePath)
        let events = try store.events(limit: 100_000)
        #expect(events.map(\.id) == Array(1...Int64(events.count)), "event ids contiguous")
        #expect(events.last?.kind == "store.restored" && events.last?.details?.tag == ids[1])
        let backedUp = try #require(listed[1]["events"] as? Int)
        #expect(events.count == backedUp + 1, "the backup's events and the restore's own")
        #expect(eventsBefore > backedUp, "the writer went on after the backup")

        // The store it replaced is a backup itself, holding everything up to the restore.
        let after = try #require(try slipway.json("backup", "list") as? [[String: Any]])
        let aside = try #require(after.first { ($0["note"] as? String)?.contains("replaced by restoring \(ids[1])") == true })
        #expect(aside["events"] as? Int ?? 0 >= Int(eventsBefore))
        #expect(try slipway("backup", "verify", try #require(aside["id"] as? String)).status == 0)
        let afterRestore = try slipway("deploy-app", "web", "--env", "staging")
        #expect(afterRestore.status == 0, "the restored store takes deploys: \(afterRestore.stdout)\(afterRestore.stderr)")
    }

    @Test func retentionPrunesByCountAndByAge() throws {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.write(["slipway.yml": "backups:\n  retention: 2\n"])
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("deploy-app", "web", "--env", "staging", "--local").status == 0)
        var ids: [String] = []
        for _ in 0..<3 {
            ids.append(try #require((try slipway.json("backup", "create", "--store") as? [String: Any])?["id"] as? String))
        }
        let kept = try #require(try slipway.json("backup", "list") as? [[String: Any]])
        #expect(kept.compactMap { $0["id"] as? String } == Array(ids.suffix(2)))

        // By age (the default, 30 days): a backup made 40 days ago goes at the next create.
        try workspace.write(["slipway.yml": "backups:\n  retention: 30d\n"])
        let metadata = workspace.root.appendingPathComponent(".slipway/backups/\(ids[1])/backup.json")
        var old = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: metadata)) as? [String: Any])
        old["created"] = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-40 * 86_400))
        try JSONSerialization.data(withJSONObject: old).write(to: metadata)
        let created = try slipway("backup", "create", "--store")
        #expect(created.status == 0 && created.stdout.contains("pruned \(ids[1]) (past the retention of 30 days)"), "\(created.stdout)")
        let left = try #require(try slipway.json("backup", "list") as? [[String: Any]])
        #expect(left.count == 2 && !left.contains { $0["id"] as? String == ids[1] })
    }

    @Test func aBackupCutShortIsNotListedAndTheNextCreateRemovesIt() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        let partial = workspace.root.appendingPathComponent(".slipway/backups/.store-20261201T000000.000Z.partial")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        try Data("half a copy".utf8).write(to: partial.appendingPathComponent("store.db"))
        #expect(try #require(try slipway.json("backup", "list") as? [Any]).isEmpty)
        let created = try slipway("backup", "create", "--store")
        #expect(created.status == 0, "\(created.stderr)")
        #expect(created.stdout.contains("removed the partial backup store-20261201T000000.000Z (its backup create was interrupted)"), "\(created.stdout)")
        #expect(!FileManager.default.fileExists(atPath: partial.path))
        #expect(try #require(try slipway.json("backup", "list") as? [Any]).count == 1)
    }

    @Test func aDamagedBackupFailsVerifyAndIsNeverRestored() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        #expect(try slipway("deploy-app", "web", "--env", "staging", "--local").status == 0)
        let id = try #require((try slipway.json("backup", "create", "--store") as? [String: Any])?["id"] as? String)
        let copy = workspace.root.appendingPathComponent(".slipway/backups/\(id)/store.db")
        let damage = try workspace.run("/usr/bin/env", [
            "python3", "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('DROP TRIGGER events_no_delete'); "
                + "c.execute('DELETE FROM events WHERE id = 2'); c.commit()",
            copy.path,
        ])
        #expect(damage.status == 0, "\(damage.output)")
        let verified = try slipway("backup", "verify", id)
        #expect(verified.status == 1)
        #expect(verified.stdout.contains("problem: the events are not contiguous"), "\(verified.stdout)")
        let before = try SQLiteStore(path: workspace.statePath).latestEventID()
        let restored = try slipway("backup", "restore", "--store", id)
        #expect(restored.status == 1 && restored.stderr.contains("does not verify"), "\(restored.stderr)")
        #expect(try SQLiteStore(path: workspace.statePath).latestEventID() == before, "the store is untouched")
    }

    @Test func badInputIsOneLineAndExitTwo() throws {
        let workspace = try FakeCloudWorkspace.create()
        let slipway = SlipwayProcess(workspace)
        for arguments in [["backup", "create"], ["backup", "verify", "nope"], ["backup", "restore", "--store", "nope"]] {
            let result = try slipway.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        }
        try workspace.write(["slipway.yml": "backups:\n  retention: forever\n"])
        let result = try slipway("backup", "create", "--store")
        #expect(result.status == 2)
        #expect(result.stderr.contains("slipway.yml:2:14: backups.retention must be a count (10) or days (30d), found 'forever'"), "\(result.stderr)")
    }
}
