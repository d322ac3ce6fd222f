import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

@Suite struct MigrationCatalogTests {
    @Test func versionsCompareAsDottedWholeNumbers() throws {
        let texts = ["2", "1.10", "1_2", "1.1", "1", "1.0.1", "010"]
        let sorted = texts.compactMap(MigrationVersion.init).sorted().map(\.text)
        #expect(sorted == ["1", "1.0.1", "1.1", "1.2", "1.10", "2", "010"])
        #expect(MigrationVersion("1") == MigrationVersion("1.0"))
        #expect(MigrationVersion("1_2")?.text == "1.2")
        for bad in ["", "1..2", "a", "1.x", "-1"] { #expect(MigrationVersion(bad) == nil, "\(bad)") }
    }

    func load(_ files: [String: String]) throws -> MigrationCatalog {
        let workspace = try TemporaryWorkspace(files: files.mapKeys { "migrations/\($0)" })
        return try MigrationCatalog.load(workspace.root.appendingPathComponent("migrations"), folder: "services/a/migrations")
    }

    @Test func filesLoadInVersionOrderWithTheirCompensatingScripts() throws {
        let catalog = try load([
            "V10__later.sql": "SELECT 10;", "V2__add_accounts_name.sql": "SELECT 2;", "V1_1__fix.sql": "SELECT 1.1;",
            "U2__drop_accounts_name.sql": "ALTER TABLE accounts DROP COLUMN name;", "README.md": "not a migration",
            "archive/V1__init.sql": "SELECT 1;",
        ])
        #expect(catalog.versioned.map(\.script) == ["archive/V1__init.sql", "V1_1__fix.sql", "V2__add_accounts_name.sql", "V10__later.sql"])
        #expect(catalog.versioned[2].description == "add accounts name")
        #expect(catalog.versioned[2].checksum == FlywayChecksum.of("SELECT 2;"))
        #expect(catalog.compensating[MigrationVersion("2")!]?.script == "U2__drop_accounts_name.sql")
        // A compensating script is never linted or applied with the versioned files.
        #expect(catalog.lint().isEmpty)
    }

    @Test(arguments: [
        (["R__views.sql": "SELECT 1;"], "services/a/migrations/R__views.sql: repeatable migrations (R__) are refused"),
        (["V1__a.sql": "", "V1.0__b.sql": ""], "services/a/migrations/V1__a.sql: version 1 is also the version of services/a/migrations/V1.0__b.sql"),
        (["V1_a.sql": ""], "services/a/migrations/V1_a.sql: not a migration name"),
        (["Vx__a.sql": ""], "services/a/migrations/Vx__a.sql: 'x' is not a version"),
        (["V1__a.sql": "", "U2__b.sql": ""], "services/a/migrations/U2__b.sql: compensating script of V2, which does not exist"),
    ])
    func badFoldersAreUsageErrors(files: [String: String], expected: String) throws {
        let error = #expect(throws: SlipwayError.self) { try load(files) }
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "")")
        #expect(error?.exitCode == 2)
    }

    // MARK: Validation against a history

    func entry(_ rank: Int, _ version: String, _ script: String, checksum: Int32?, success: Bool = true, type: String = "SQL") -> SchemaHistoryEntry {
        SchemaHistoryEntry(
            installedRank: rank, version: version, description: "d", type: type, script: script, checksum: checksum,
            installedBy: "flyway", installedOn: Date(timeIntervalSince1970: 1_800_000_000), executionTime: 5, success: success)
    }

    @Test func pendingFilesFollowTheAppliedOnes() throws {
        let catalog = try load(["V1__a.sql": "SELECT 1;", "V2__b.sql": "SELECT 2;", "V3__c.sql": "CREATE INDEX CONCURRENTLY i ON t (a);"])
        let plan = MigrationPlan(catalog: catalog, history: [entry(1, "1", "V1__a.sql", checksum: FlywayChecksum.of("SELECT 1;"))])
        #expect(try plan.validated().map(\.script) == ["V2__b.sql", "V3__c.sql"])
        #expect(plan.current?.text == "1")
        #expect(plan.rows.map(\.state) == [.applied, .pending, .pending])
        #expect(plan.rows.map(\.transactional) == [nil, true, false])
    }

    @Test func eachValidationProblemStopsTheApplyWithOneLine() throws {
        let catalog = try load(["V1__a.sql": "SELECT 1;", "V2__b.sql": "SELECT 2;", "V3__c.sql": "SELECT 3;"])
        let one = FlywayChecksum.of("SELECT 1;")
        let three = FlywayChecksum.of("SELECT 3;")
        let cases: [([SchemaHistoryEntry], MigrationPlan.State, String)] = [
            ([entry(1, "1", "V1__a.sql", checksum: 12345)], .changed,
             "services/a/migrations/V1__a.sql changed after it was applied: checksum 12345 in flyway_schema_history, \(one) on disk"),
            ([entry(1, "1", "V1__a.sql", checksum: one), entry(2, "3", "V3__c.sql", checksum: three)], .outOfOrder,
             "services/a/migrations/V2__b.sql is pending but version 3 is already applied"),
            ([entry(1, "1", "V1__a.sql", checksum: one), entry(2, "2", "V2__b.sql", checksum: 1, success: false)], .failed,
             "services/a/migrations/V2__b.sql failed when applied on 2027-01-15T08:00:00Z"),
            ([entry(1, "0.5", "V0_5__gone.sql", checksum: 7), entry(2, "1", "V1__a.sql", checksum: one)], .missing,
             "services/a/migrations/V0_5__gone.sql (version 0.5) is applied but missing from services/a/migrations"),
        ]
        for (history, state, message) in cases {
            let plan = MigrationPlan(catalog: catalog, history: history)
            #expect(plan.rows.contains { $0.state == state }, "\(state)")
            let error = #expect(throws: SlipwayError.self) { try plan.validated() }
            #expect(error?.message.hasPrefix(message) == true, "\(error?.message ?? "")")
            #expect(error?.exitCode == 1)
            #expect(error?.message.contains("\n") == false)
        }
    }

    @Test func aFlywayBaselineCountsAsApplied() throws {
        let catalog = try load(["V1__a.sql": "SELECT 1;", "V2__b.sql": "SELECT 2;", "V3__c.sql": "SELECT 3;"])
        let plan = MigrationPlan(catalog: catalog, history: [entry(1, "2", "<< Flyway Baseline >>", checksum: nil, type: "BASELINE")])
        #expect(plan.rows.map(\.state) == [.baseline, .baseline, .pending])
        #expect(try plan.validated().map(\.script) == ["V3__c.sql"])
    }
}

extension Dictionary where Key == String {
    func mapKeys(_ transform: (String) -> String) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
