import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `slipway projection rebuild` as a user runs it, against a throwaway PostgreSQL cluster, with a
/// real rebuild script that writes the projection in batches of 100 and prints its checkpoints.
@Suite(.postgresCluster, .timeLimit(.minutes(4)))
struct ProjectionRebuildCommandTests {
    static let config = "databases:\n  main:\n    url_env: MAIN_DB_URL\nenvironments:\n  staging:\n    database: main\n"

    /// Rebuilds orders_view from order_events from RESUME_FROM on, 100 events a batch, each batch
    /// committed before its checkpoint is printed and counted in BATCH_LOG. STOP_AFTER=<position>
    /// makes it kill itself (kill -9) right after reporting that checkpoint. Rows past RESUME_FROM
    /// a stopped run may have written are deleted first, so a resume writes each row once.
    static let script = """
        set -eu
        echo $$ > "$PID_FILE"
        psql() { command psql "$DATABASE_URL" -XAtq -v ON_ERROR_STOP=1 "$@"; }
        total=$(psql -c "SELECT count(*) FROM order_events")
        pos=${RESUME_FROM:-0}
        psql -c "CREATE TABLE IF NOT EXISTS $TARGET_TABLE (id bigint PRIMARY KEY, customer text NOT NULL, amount bigint NOT NULL)"
        psql -c "DELETE FROM $TARGET_TABLE WHERE id > $pos"
        echo "rebuilding $PROJECTION into $TARGET_TABLE from $pos of $total"
        while [ "$pos" -lt "$total" ]; do
          next=$((pos + 100))
          psql -c "INSERT INTO $TARGET_TABLE SELECT id, customer, amount FROM order_events WHERE id > $pos AND id <= $next"
          echo "$next" >> "$BATCH_LOG"
          echo "slipway:checkpoint $next $total"
          if [ "${STOP_AFTER:-}" = "$next" ]; then kill -9 $$; fi
          pos=$next
        done

        """

    struct Fixture {
        let workspace: TemporaryWorkspace
        let slipway: SlipwayProcess
        let url: String
        let database: String
        let batches: URL

        var environment: [String: String] {
            ["MAIN_DB_URL": url, "BATCH_LOG": batches.path, "PID_FILE": batches.deletingLastPathComponent().appendingPathComponent("rebuild.pid").path]
        }

        /// Waits (60 s at most) until the last rebuild script is gone.
        func waitForTheRebuildToEnd() async throws {
            let text = try String(contentsOfFile: environment["PID_FILE"]!, encoding: .utf8)
            let pid = try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
            // An exited process nobody reaped yet (a zombie) is gone too.
            func running() -> Bool {
                let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
                return !stat.isEmpty && stat.split(separator: ")").last?.split(separator: " ").first != "Z"
            }
            var waits = 0
            while running() && waits < 600 {
                try await Task.sleep(for: .milliseconds(100))
                waits += 1
            }
            #expect(!running(), "the rebuild script \(pid) outlived Slipway")
        }

        func batchCount() throws -> Int {
            guard let text = try? String(contentsOf: batches, encoding: .utf8) else { return 0 }
            return text.split(separator: "\n").count
        }

        func strings(_ sql: String) async throws -> [String?] {
            try await PostgresCluster.shared().strings(sql, database: database)
        }
    }

    /// 1000 order events and a live orders_view built from them, but for order 7's amount (the
    /// seeded difference) when `seeded`.
    func fixture(seeded: Bool) async throws -> Fixture {
        let cluster = try PostgresCluster.shared()
        let url = try await cluster.createDatabase()
        let database = PostgresCluster.databaseName(of: url)
        try await cluster.execute(
            "CREATE TABLE order_events AS SELECT g::bigint AS id, 'c' || (g % 17) AS customer, (g * 10)::bigint AS amount "
                + "FROM generate_series(1, 1000) g", database: database)
        try await cluster.execute(
            "CREATE TABLE orders_view (id bigint PRIMARY KEY, customer text NOT NULL, amount bigint NOT NULL)", database: database)
        try await cluster.execute("INSERT INTO orders_view SELECT id, customer, amount FROM order_events", database: database)
        if seeded { try await cluster.execute("UPDATE orders_view SET amount = 999 WHERE id = 7", database: database) }
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": Self.config,
            "services/accounts/slipway.yml": "database:\n  migrations: migrations/\n  projections:\n"
                + "    - {name: orders_view, rebuild: sh rebuild-orders.sh}\n",
            "services/accounts/migrations/V1__orders.sql": "CREATE TABLE IF NOT EXISTS order_events (id bigint);\n",
            "services/accounts/rebuild-orders.sh": Self.script,
        ])
        return Fixture(
            workspace: workspace, slipway: SlipwayProcess(workspace), url: url, database: database,
            batches: workspace.root.appendingPathComponent("batches.log"))
    }

    @Test func killedAtACheckpointResumesComparesShowsTheSeededDifferenceAndSwitchesOnceAccepted() async throws {
        let fixture = try await fixture(seeded: true)
        let slipway = fixture.slipway
        let killed = try slipway(
            "projection", "rebuild", "accounts", "orders_view", "--env", "staging",
            environment: fixture.environment.merging(["STOP_AFTER": "300"]) { $1 })
        #expect(killed.status == 1)
        #expect(killed.stderr == "slipway: error: projection orders_view v2: the rebuild was killed (signal 9) at checkpoint 300/1000; "
            + "run the rebuild again to resume from checkpoint 300\n")
        #expect(killed.stdout.contains("rebuilding orders_view v2 into orders_view_v2 beside orders_view (v1)"))
        #expect(try fixture.batchCount() == 3)

        let status = try slipway("projection", "status", "accounts", "--env", "staging", environment: fixture.environment)
        #expect(status.status == 0)
        #expect(status.stdout.contains("orders_view  orders_view  v1    v2 orders_view_v2  failed (rebuild)  300/1000 (30%)"), "\(status.stdout)")

        // The resume continues from 300: the script counts its batches, and a batch written twice
        // would also break the new table's primary key.
        let resumed = try slipway("projection", "rebuild", "accounts", "orders_view", "--env", "staging", environment: fixture.environment)
        #expect(resumed.stdout.contains("resuming orders_view v2 from checkpoint 300 of 1000"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("rebuilding orders_view into orders_view_v2 from 300 of 1000"))
        #expect(try fixture.batchCount() == 10)
        #expect(try String(contentsOf: fixture.batches, encoding: .utf8) == (1...10).map { "\($0 * 100)\n" }.joined())

        // The comparison finds the seeded difference and shows it; nothing is switched.
        #expect(resumed.status == 1)
        #expect(resumed.stdout.contains("difference: checksum: "))
        #expect(resumed.stdout.contains("difference: only in orders_view: (7,c7,999)"))
        #expect(resumed.stdout.contains("difference: only in orders_view_v2: (7,c7,70)"))
        #expect(!resumed.stdout.contains("difference: rows:"))
        #expect(resumed.stderr.hasPrefix("slipway: error: projection orders_view v2 differs from the live v1 (3 differences above): not switched"))
        #expect(try await fixture.strings("SELECT amount::text FROM orders_view WHERE id = 7") == ["999"])

        let noReason = try slipway(
            "projection", "rebuild", "accounts", "orders_view", "--env", "staging", "--accept-differences", environment: fixture.environment)
        #expect(noReason.status == 2)

        let accepted = try slipway(
            "projection", "rebuild", "accounts", "orders_view", "--env", "staging", "--accept-differences",
            "--reason", "v1 lost order 7's correction", environment: fixture.environment)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.contains("switching despite 3 differences, accepted by tester: v1 lost order 7's correction"))
        #expect(accepted.stdout.contains("switched orders_view to v2 (v1 kept as orders_view_v1)"))
        // Compared again, not rebuilt again.
        #expect(try fixture.batchCount() == 10)
        #expect(try await fixture.strings("SELECT amount::text FROM orders_view WHERE id = 7") == ["70"])
        #expect(try await fixture.strings("SELECT amount::text FROM orders_view_v1 WHERE id = 7") == ["999"])
        #expect(try await fixture.strings("SELECT count(*)::text FROM orders_view") == ["1000"])

        let events = try slipway("events", "--json")
        #expect(events.stdout.contains("projection.checkpoint"))
        #expect(events.stdout.contains("v1 lost order 7's correction"))
        #expect(events.stdout.contains("check.overridden"))
        #expect(!events.stdout.contains(fixture.url))
        let after = try slipway("projection", "status", "accounts", "--env", "staging", "--json", environment: fixture.environment)
        #expect(after.stdout.contains(#""live_version" : 2"#))
        #expect(after.stdout.contains(#""phase" : "switched""#))
    }

    @Test func aCleanComparisonSwitchesAndTheNextRebuildIsTheNextVersion() async throws {
        let fixture = try await fixture(seeded: false)
        for version in 2...3 {
            let run = try fixture.slipway("projection", "rebuild", "accounts", "orders_view", "--env", "staging", environment: fixture.environment)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("orders_view_v\(version) agrees with orders_view"))
            #expect(run.stdout.contains("switched orders_view to v\(version) (v\(version - 1) kept as orders_view_v\(version - 1))"))
            #expect(run.stdout.contains("orders_view: v\(version) live, switched "))
        }
        #expect(try fixture.batchCount() == 20)
        #expect(try await fixture.strings(
            "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE tablename LIKE 'orders_view%'") == ["orders_view,orders_view_v1,orders_view_v2"])
    }

    @Test func slipwayKilledAfterACheckpointResumesFromIt() async throws {
        let fixture = try await fixture(seeded: false)
        // Slipway itself dies (kill -9) right after recording checkpoint 500; the rebuild dies
        // with its output pipe at its next line, after writing one more batch.
        let crashed = try fixture.slipway(
            "projection", "rebuild", "accounts", "orders_view", "--env", "staging",
            environment: fixture.environment.merging(["SLIPWAY_CRASH_AT": "projection-checkpoint-500"]) { $1 })
        #expect(crashed.status == 9, "\(crashed.status) \(crashed.stderr)")
        let recorded = try fixture.slipway("projection", "status", "accounts", "--env", "staging", "--json", environment: fixture.environment)
        #expect(recorded.stdout.contains(#""position" : 500"#), "\(recorded.stdout)")
        try await fixture.waitForTheRebuildToEnd()
        let resumed = try fixture.slipway("projection", "rebuild", "accounts", "orders_view", "--env", "staging", environment: fixture.environment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resuming orders_view v2 from checkpoint 500 of 1000"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains("switched orders_view to v2"))
        // Batches 100 to 500 were not written again (later ones may have been, by the orphaned run).
        let batches = try String(contentsOf: fixture.batches, encoding: .utf8).split(separator: "\n")
        #expect((1...5).allSatisfy { batch in batches.filter { $0 == "\(batch * 100)" }.count == 1 }, "\(batches)")
        #expect(try await fixture.strings("SELECT count(*)::text FROM orders_view") == ["1000"])
    }

    @Test func aCompareQueryAndASwitchGoalReplaceTheDefaults() async throws {
        let fixture = try await fixture(seeded: true)
        // The query only looks for missing orders, so the seeded amount is no difference to it.
        try fixture.workspace.write([
            "services/accounts/slipway.yml": "database:\n  migrations: migrations/\n  projections:\n    - name: orders_view\n"
                + "      rebuild: sh rebuild-orders.sh\n"
                + "      compare: SELECT coalesce(l.id, n.id) FROM {live} l FULL JOIN {new} n USING (id) WHERE l.id IS NULL OR n.id IS NULL;\n"
                + "      switch: {goal: switch-orders}\n",
            "services/accounts/Makefile": "switch-orders:\n\t@psql \"$$DATABASE_URL\" -XAtq -v ON_ERROR_STOP=1 "
                + "-c \"ALTER TABLE orders_view RENAME TO orders_view_before\" -c \"ALTER TABLE $$TARGET_TABLE RENAME TO orders_view\"\n"
                + "\t@echo switched by make: $$TARGET_TABLE\n",
        ])
        try await PostgresCluster.shared().execute("DELETE FROM orders_view WHERE id = 500", database: fixture.database)
        let differs = try fixture.slipway("projection", "rebuild", "accounts", "orders_view", "--env", "staging", environment: fixture.environment)
        #expect(differs.status == 1)
        #expect(differs.stdout.contains("difference: (500)\n"), "\(differs.stdout)")
        #expect(differs.stderr.contains("(1 differences above): not switched"))

        try await PostgresCluster.shared().execute("INSERT INTO orders_view VALUES (500, 'c7', 5000)", database: fixture.database)
        let switched = try fixture.slipway("projection", "rebuild", "accounts", "orders_view", "--env", "staging", environment: fixture.environment)
        #expect(switched.status == 0, "\(switched.stderr)")
        #expect(switched.stdout.contains("orders_view_v2 agrees with orders_view"))
        #expect(switched.stdout.contains("switched by make: orders_view_v2"))
        #expect(switched.stdout.contains("switched orders_view to v2\n"))
        #expect(try await fixture.strings("SELECT amount::text FROM orders_view_before WHERE id = 7") == ["999"])
        #expect(try await fixture.strings("SELECT amount::text FROM orders_view WHERE id = 7") == ["70"])
        #expect(try fixture.batchCount() == 10)
    }

    @Test func usageErrors() async throws {
        let fixture = try await fixture(seeded: false)
        let unknown = try fixture.slipway("projection", "rebuild", "accounts", "totals", "--env", "staging", environment: fixture.environment)
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "slipway: error: accounts has no projection 'totals' (declared: orders_view)\n")
        try fixture.workspace.write(["services/accounts/slipway.yml": "database:\n  migrations: migrations/\n  projections:\n    - {name: orders_view}\n"])
        let bad = try fixture.slipway("projection", "status", "accounts", "--env", "staging")
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("services/accounts/slipway.yml:4:14: projection 'orders_view' needs rebuild:"), "\(bad.stderr)")
    }
}
