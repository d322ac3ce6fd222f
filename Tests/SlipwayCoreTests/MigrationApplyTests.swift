import Foundation
import PostgresNIO
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `migrate apply` and its validation on a real PostgreSQL: one throwaway cluster for the suite,
/// a new database per test.
@Suite(.postgresCluster, .timeLimit(.minutes(3)))
struct MigrationApplyTests {
    /// Texts whose Flyway checksums were computed by Flyway's algorithm in a JVM (see FlywayChecksumTests).
    static let createAccounts = "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);\n"
    static let createAccountsChecksum: Int32 = 888_272_464
    static let addName = "-- café\nALTER TABLE accounts ADD COLUMN name text;\r\n\r\nCREATE INDEX accounts_name ON accounts (name);\n"
    static let addNameChecksum: Int32 = 240_440_959

    /// Lines the engine printed, collected across tasks.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        private var waiters: [(String, CheckedContinuation<Void, Never>)] = []

        func append(_ line: String) {
            lock.lock()
            lines.append(line)
            let ready = waiters.filter { line.contains($0.0) }
            waiters.removeAll { line.contains($0.0) }
            lock.unlock()
            for (_, continuation) in ready { continuation.resume() }
        }

        var all: [String] { lock.withLock { lines } }

        /// Returns once a line containing `text` has been printed.
        func wait(for text: String) async {
            await withCheckedContinuation { continuation in
                lock.lock()
                if lines.contains(where: { $0.contains(text) }) {
                    lock.unlock()
                    continuation.resume()
                } else {
                    waiters.append((text, continuation))
                    lock.unlock()
                }
            }
        }
    }

    struct Setup {
        var workspace: TemporaryWorkspace
        var url: String
        var database: String
        var lines = Lines()
        /// The production database's connection string, when the test gives production one.
        var productionURL: String?

        init(_ migrations: [String: String]) async throws {
            url = try await PostgresCluster.shared().createDatabase()
            database = PostgresCluster.databaseName(of: url)
            var files = [
                "slipway.yml": """
                    databases:
                      main: {url_env: MAIN_DB_URL}
                      prod: {url_env: PROD_DB_URL}
                    environments:
                      staging: {database: main}
                      production: {database: prod}
                    """,
                "services/accounts/slipway.yml": "database: {migrations: migrations/}\n",
            ]
            for (name, text) in migrations { files["services/accounts/migrations/\(name)"] = text }
            workspace = try TemporaryWorkspace(files: files)
        }

        func engine() async throws -> Engine {
            let lines = self.lines
            return try await Engine.open(
                workspace: workspace.root, state: workspace.statePath,
                environment: ["MAIN_DB_URL": url, "PROD_DB_URL": productionURL ?? ""], output: { lines.append($0) })
        }

        func apply(_ environment: String = "staging") async throws -> MigrationApplyResult {
            let engine = try await engine()
            return try await engine.applyMigrations(engine.migrationTarget(of: engine.workspace.component(named: "accounts"), environment: environment))
        }

        func plan() async throws -> MigrationPlan {
            let engine = try await engine()
            return try await engine.migrationPlan(engine.migrationTarget(of: engine.workspace.component(named: "accounts"), environment: "staging"))
        }

        func strings(_ sql: String) async throws -> [String?] {
            try await PostgresCluster.shared().strings(sql, database: database)
        }

        func history() async throws -> [String?] {
            try await strings("""
                SELECT concat_ws('|', installed_rank, version, description, type, script, checksum, installed_by, success)
                FROM flyway_schema_history ORDER BY installed_rank
                """)
        }

        func write(_ name: String, _ text: String) throws {
            try workspace.write(["services/accounts/migrations/\(name)": text])
        }

        func migrationEvents() async throws -> [EventDetails] {
            try await engine().store.latestEvents(kind: .migrationApplied, limit: 10).reversed().compactMap(\.details)
        }
    }

    @Test func appliesInVersionOrderAndWritesFlywaysHistoryLayout() async throws {
        let setup = try await Setup([
            "V1__create_accounts.sql": Self.createAccounts,
            "V1_1__add_name.sql": Self.addName,
            // Refused by PostgreSQL inside a transaction: the file runs alone, outside one.
            "V2__index_email.sql": "CREATE INDEX CONCURRENTLY accounts_email ON accounts (email);\n",
            "U1_1__drop_name.sql": "ALTER TABLE accounts DROP COLUMN name;\n",
        ])
        let result = try await setup.apply()
        #expect(result.applied.map(\.script) == ["V1__create_accounts.sql", "V1_1__add_name.sql", "V2__index_email.sql"])
        #expect(result.applied.map(\.transactional) == [true, true, false])
        #expect(result.version?.text == "2")

        // The table as Flyway creates it on PostgreSQL.
        let columns = try await setup.strings("""
            SELECT concat_ws(' ', column_name, data_type, character_maximum_length, is_nullable, column_default)
            FROM information_schema.columns WHERE table_name = 'flyway_schema_history' ORDER BY ordinal_position
            """)
        #expect(columns == [
            "installed_rank integer NO", "version character varying 50 YES", "description character varying 200 NO",
            "type character varying 20 NO", "script character varying 1000 NO", "checksum integer YES",
            "installed_by character varying 100 NO", "installed_on timestamp without time zone NO now()",
            "execution_time integer NO", "success boolean NO",
        ])
        let indexes = try await setup.strings("SELECT indexname FROM pg_indexes WHERE tablename = 'flyway_schema_history' ORDER BY 1")
        #expect(indexes == ["flyway_schema_history_pk", "flyway_schema_history_s_idx"])
        #expect(try await setup.history() == [
            "1|1|create accounts|SQL|V1__create_accounts.sql|\(Self.createAccountsChecksum)|postgres|t",
            "2|1.1|add name|SQL|V1_1__add_name.sql|\(Self.addNameChecksum)|postgres|t",
            "3|2|index email|SQL|V2__index_email.sql|\(FlywayChecksum.of("CREATE INDEX CONCURRENTLY accounts_email ON accounts (email);\n"))|postgres|t",
        ])
        #expect(try await setup.strings("SELECT indexname FROM pg_indexes WHERE tablename = 'accounts' ORDER BY 1")
            == ["accounts_email", "accounts_name", "accounts_pkey"])

        let again = try await setup.apply()
        #expect(again.applied.isEmpty)
        let events = try await setup.migrationEvents()
        #expect(events.count == 1)
        #expect(events.first?.outcome == "succeeded")
        #expect(events.first?.migrations == ["V1__create_accounts.sql", "V1_1__add_name.sql", "V2__index_email.sql"])
    }

    @Test func continuesAHistoryFlywayWrote() async throws {
        let setup = try await Setup(["V1__create_accounts.sql": Self.createAccounts, "V2__add_name.sql": Self.addName])
        let cluster = try PostgresCluster.shared()
        // What Flyway 10 leaves after applying V1 on PostgreSQL.
        for sql in [
            """
            CREATE TABLE "public"."flyway_schema_history" ("installed_rank" INT NOT NULL, "version" VARCHAR(50),
                "description" VARCHAR(200) NOT NULL, "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL,
                "checksum" INTEGER, "installed_by" VARCHAR(100) NOT NULL, "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
                "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL)
            """,
            #"ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank")"#,
            #"CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success")"#,
            Self.createAccounts,
            """
            INSERT INTO flyway_schema_history VALUES
                (1, '1', 'create accounts', 'SQL', 'V1__create_accounts.sql', \(Self.createAccountsChecksum), 'flyway', now(), 12, true)
            """,
        ] {
            try await cluster.execute(sql, database: setup.database)
        }
        let plan = try await setup.plan()
        #expect(plan.problems.isEmpty)
        #expect(plan.rows.map(\.state) == [.applied, .pending])
        let result = try await setup.apply()
        #expect(result.applied.map(\.script) == ["V2__add_name.sql"])
        #expect(try await setup.history().last == "2|2|add name|SQL|V2__add_name.sql|\(Self.addNameChecksum)|postgres|t")
    }

    @Test func aPendingVersionBelowTheHighestAppliedIsRefused() async throws {
        let setup = try await Setup(["V1__a.sql": "CREATE TABLE a (id int);", "V3__c.sql": "CREATE TABLE c (id int);"])
        _ = try await setup.apply()
        try setup.write("V2__b.sql", "CREATE TABLE b (id int);")
        let error = await #expect(throws: SlipwayError.self) { try await setup.apply() }
        #expect(error?.message == "services/accounts/migrations/V2__b.sql is pending but version 3 is already applied: give it a version above 3")
        #expect(error?.reason == .migrationPlan(.outOfOrder(path: "services/accounts/migrations/V2__b.sql", highest: MigrationVersion("3")!), more: 0))
        #expect(error?.exitCode == 1)
        #expect(try await setup.history().count == 2)
        #expect(try await setup.strings("SELECT to_regclass('b')::text") == [nil])
    }

    @Test func aChangedAppliedFileIsRefused() async throws {
        let setup = try await Setup(["V1__create_accounts.sql": Self.createAccounts])
        _ = try await setup.apply()
        // Line endings alone do not count as a change, as in Flyway.
        try setup.write("V1__create_accounts.sql", Self.createAccounts.replacingOccurrences(of: "\n", with: "\r\n"))
        try setup.write("V2__b.sql", "CREATE TABLE b (id int);")
        #expect(try await setup.apply().applied.count == 1)
        try setup.write("V1__create_accounts.sql", Self.createAccounts + "CREATE TABLE sneaky (id int);\n")
        try setup.write("V3__c.sql", "CREATE TABLE c (id int);")
        let error = await #expect(throws: SlipwayError.self) { try await setup.apply() }
        let changed = FlywayChecksum.of(Self.createAccounts + "CREATE TABLE sneaky (id int);\n")
        #expect(error?.reason == .migrationPlan(
            .changed(path: "services/accounts/migrations/V1__create_accounts.sql", recorded: Self.createAccountsChecksum, onDisk: changed), more: 0))
        #expect(error?.message.hasPrefix(
            "services/accounts/migrations/V1__create_accounts.sql changed after it was applied: checksum \(Self.createAccountsChecksum) in flyway_schema_history, \(changed) on disk")
            == true, "\(error?.message ?? "")")
        #expect(try await setup.strings("SELECT to_regclass('c')::text") == [nil])
    }

    @Test func anAppliedFileMissingFromDiskIsRefused() async throws {
        let setup = try await Setup(["V1__a.sql": "CREATE TABLE a (id int);", "V2__b.sql": "CREATE TABLE b (id int);"])
        _ = try await setup.apply()
        try FileManager.default.removeItem(at: setup.workspace.root.appendingPathComponent("services/accounts/migrations/V2__b.sql"))
        try setup.write("V3__c.sql", "CREATE TABLE c (id int);")
        let error = await #expect(throws: SlipwayError.self) { try await setup.apply() }
        #expect(error?.message == "services/accounts/migrations/V2__b.sql (version 2) is applied but missing from services/accounts/migrations: restore it")
        #expect(try await setup.plan().rows.map(\.state) == [.applied, .missing, .pending])
    }

    @Test func aFileFailingHalfWayIsRolledBackRecordedAndBlocksUntilRepaired() async throws {
        let setup = try await Setup([
            "V1__a.sql": "CREATE TABLE a (id int);",
            "V2__b.sql": "CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\nINSERT INTO nowhere VALUES (1);\n",
            "V3__c.sql": "CREATE TABLE c (id int);",
        ])
        let error = await #expect(throws: SlipwayError.self) { try await setup.apply() }
        #expect(error?.message == #"services/accounts/migrations/V2__b.sql:3:1: relation "nowhere" does not exist (SQLSTATE 42P01); the file was rolled back and recorded as failed"#)
        #expect(error?.exitCode == 1)
        // The first statements of the failing file left nothing behind; V1 stays applied; V3 never ran.
        #expect(try await setup.strings("SELECT concat_ws(',', to_regclass('a'), to_regclass('half'), to_regclass('c'))") == ["a"])
        #expect(try await setup.history().map { $0?.split(separator: "|").last.map(String.init) } == ["t", "f"])
        let failedEvent = try await setup.migrationEvents().last
        #expect(failedEvent?.outcome == "failed")
        #expect(failedEvent?.reason?.contains("nowhere") == true)

        try setup.write("V2__b.sql", "CREATE TABLE half (id int);\nINSERT INTO half VALUES (1);\n")
        let refused = await #expect(throws: SlipwayError.self) { try await setup.apply() }
        #expect(refused?.message.hasPrefix("services/accounts/migrations/V2__b.sql failed when applied on ") == true)
        #expect(refused?.message.hasSuffix("fix the file, then clear the failed entry with `slipway migrate repair`") == true)

        let engine = try await setup.engine()
        let target = try engine.migrationTarget(of: engine.workspace.component(named: "accounts"), environment: "staging")
        #expect(try await engine.repairMigrations(target) == 1)
        let result = try await setup.apply()
        #expect(result.applied.map(\.script) == ["V2__b.sql", "V3__c.sql"])
        #expect(try await setup.history().map { $0?.split(separator: "|").first.map(String.init) } == ["1", "2", "3"])
    }

    @Test func twoAppliesAtOnceSerialise() async throws {
        let setup = try await Setup(["V1__a.sql": "CREATE TABLE a (id int);", "V2__b.sql": "INSERT INTO a VALUES (1);"])
        let cluster = try PostgresCluster.shared()
        // Someone holds the lock: both applies queue behind it.
        let holder = try await cluster.connect(database: setup.database)
        _ = try await holder.query("SELECT pg_advisory_lock(\(MigrationDatabase.lockKey))", logger: PostgresCluster.logger)
        let first = Task { try await setup.apply() }
        let second = Task { try await setup.apply() }
        await setup.lines.wait(for: "waiting")
        #expect(try await setup.strings("SELECT to_regclass('flyway_schema_history')::text") == [nil])
        _ = try await holder.query("SELECT pg_advisory_unlock(\(MigrationDatabase.lockKey))", logger: PostgresCluster.logger)
        try await holder.close()
        let results = try await [first.value, second.value]
        // One applied both files, the other found nothing left: never both, never interleaved.
        #expect(results.map(\.applied.count).sorted() == [0, 2])
        #expect(try await setup.strings("SELECT count(*)::text FROM a") == ["1"])
        #expect(try await setup.history().count == 2)
    }

    @Test func lintFindingsRefuseTheApplyUntilAllowedAndTheAllowanceIsAudited() async throws {
        let setup = try await Setup([
            "V1__a.sql": "CREATE TABLE a (id int, legacy text);",
            "V2__drop.sql": "CREATE TABLE b (id int);\nALTER TABLE a DROP COLUMN legacy;\n",
        ])
        let error = await #expect(throws: SlipwayError.self) { try await setup.apply() }
        #expect(error?.message.hasPrefix("not applied: services/accounts/migrations/V2__drop.sql:2:15: drop-column: ALTER TABLE a DROP COLUMN legacy") == true,
                "\(error?.message ?? "")")
        #expect(error?.message.hasSuffix("add `-- slipway:allow drop-column: <reason>` to the statement") == true)
        #expect(try await setup.strings("SELECT to_regclass('a')::text") == [nil])

        try setup.write("V2__drop.sql", "CREATE TABLE b (id int);\n-- slipway:allow drop-column: unread since release 41\nALTER TABLE a DROP COLUMN legacy;\n")
        let result = try await setup.apply()
        #expect(result.applied.count == 2)
        #expect(result.allowances.map(\.allowedBecause) == ["unread since release 41"])
        let event = try await setup.migrationEvents().last
        #expect(event?.allowances == ["services/accounts/migrations/V2__drop.sql:3:15 drop-column: unread since release 41"])
        #expect(event?.version == "2")
    }

    @Test func productionAppliesOnlyWhatStagingAppliedWithTheSameChecksum() async throws {
        var setup = try await Setup(["V1__a.sql": "CREATE TABLE a (id int);\n"])
        setup.productionURL = try await PostgresCluster.shared().createDatabase()
        let production = PostgresCluster.databaseName(of: setup.productionURL ?? "")
        let unvalidated = await #expect(throws: SlipwayError.self) { try await setup.apply("production") }
        #expect(unvalidated?.message == "not applied: services/accounts/migrations/V1__a.sql (version 1) has not been applied successfully in staging: apply it there first (slipway migrate apply --env staging)")
        #expect(unvalidated?.exitCode == 1)
        #expect(try await PostgresCluster.shared().strings("SELECT to_regclass('a')::text", database: production) == [nil])

        _ = try await setup.apply("staging")
        #expect(try await setup.apply("production").applied.map(\.script) == ["V1__a.sql"])

        try setup.write("V2__b.sql", "CREATE TABLE b (id int);\n")
        _ = try await setup.apply("staging")
        try setup.write("V2__b.sql", "CREATE TABLE b (id bigint);\n")
        let different = await #expect(throws: SlipwayError.self) { try await setup.apply("production") }
        #expect(different?.message.hasPrefix("not applied: services/accounts/migrations/V2__b.sql is not the file staging applied (checksum ") == true,
                "\(different?.message ?? "")")
        #expect(try await PostgresCluster.shared().strings("SELECT to_regclass('b')::text", database: production) == [nil])

        var unreachable = setup
        unreachable.url = ""
        let noStaging = await #expect(throws: SlipwayError.self) { try await unreachable.apply("production") }
        #expect(noStaging?.message == "production applies only migrations validated in staging, and staging's database cannot be reached: MAIN_DB_URL is not set: it holds the connection string of database 'main' (environment staging)")
        #expect(noStaging?.exitCode == 2)
    }

    @Test func theChecklistItemPassesOnlyWhenStagingValidatedAndProductionApplied() async throws {
        var setup = try await Setup(["V1__a.sql": "CREATE TABLE a (id int);\n"])
        setup.productionURL = try await PostgresCluster.shared().createDatabase()
        func item() async throws -> DeploymentChecklist.Item {
            let engine = try await setup.engine()
            return await engine.migrationsValidated(of: try engine.workspace.component(named: "accounts"))
        }
        var current = try await item()
        #expect(current.status == .failed)
        #expect(current.detail == "services/accounts/migrations/V1__a.sql (version 1) has not been applied successfully in staging: apply it there first (slipway migrate apply --env staging)")

        _ = try await setup.apply("staging")
        current = try await item()
        #expect(current.status == .failed)
        #expect(current.detail == "1 pending in production, first services/accounts/migrations/V1__a.sql: run slipway migrate apply --env production")

        _ = try await setup.apply("production")
        current = try await item()
        #expect(current.status == .passed)
        #expect(current.detail == "schema at version 1, validated in staging")

        try setup.write("V1__a.sql", "CREATE TABLE a (id bigint);\n")
        #expect(try await item().status == .failed)

        try setup.workspace.write(["services/accounts/slipway.yml": "port: 9000\n"])
        #expect(try await item().status == .notApplicable)
    }
}
