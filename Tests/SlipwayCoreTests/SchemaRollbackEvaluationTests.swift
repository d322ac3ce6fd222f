import SlipwayCore
import Testing

/// Which migrations applied since a release keep its code from running: lint-clean ones do not;
/// one with a finding (even one a comment allows) or one gone from disk does.
@Suite struct SchemaRollbackEvaluationTests {
    func file(_ version: String, _ name: String, _ text: String, kind: MigrationFile.Kind = .versioned) -> MigrationFile {
        MigrationFile(
            kind: kind, version: MigrationVersion(version)!, description: name,
            script: "\(kind == .versioned ? "V" : "U")\(version)__\(name).sql", text: text)
    }

    var catalog: MigrationCatalog {
        MigrationCatalog(
            folder: "services/api/migrations",
            versioned: [
                file("1", "create", "CREATE TABLE a (id int);\n"),
                file("2", "add", "ALTER TABLE a ADD COLUMN b text;\n"),
                file("3", "drop", "ALTER TABLE a DROP COLUMN b; -- slipway:allow drop-column: nothing reads b\n"),
            ],
            compensating: [MigrationVersion("3")!: file("3", "drop", "ALTER TABLE a ADD COLUMN b text;\n", kind: .compensating)])
    }

    @Test func additiveMigrationsSinceTheReleaseLetItBack() {
        let check = SchemaRollback.evaluate(
            releaseSchema: MigrationVersion("1"), applied: ["V1__create.sql", "V2__add.sql"], catalog: catalog)
        #expect(check.appliedSince == ["V2__add.sql"])
        #expect(check.blocker == nil)
        #expect(check.refusal(component: "api", version: "v1", environment: "production") == nil)
    }

    @Test func anAllowedFindingStillBlocksAndNamesTheCompensatingScript() throws {
        let check = SchemaRollback.evaluate(
            releaseSchema: MigrationVersion("2"), applied: ["V3__drop.sql", "V1__create.sql", "V2__add.sql"], catalog: catalog)
        let blocker = try #require(check.blocker)
        #expect(blocker.path == "services/api/migrations/V3__drop.sql")
        #expect(blocker.why.contains("drop-column (allowed by comment: nothing reads b) is not additive"))
        #expect(blocker.compensating == "services/api/migrations/U3__drop.sql")
    }

    @Test func aReleaseWithoutARecordedSchemaIsComparedWithEverythingApplied() {
        let check = SchemaRollback.evaluate(releaseSchema: nil, applied: ["V1__create.sql", "V2__add.sql"], catalog: catalog)
        #expect(check.appliedSince == ["V1__create.sql", "V2__add.sql"] && check.blocker == nil)
    }

    @Test func anAppliedFileGoneFromDiskCannotBeShownAdditive() {
        let check = SchemaRollback.evaluate(releaseSchema: MigrationVersion("3"), applied: ["V4__gone.sql"], catalog: catalog)
        #expect(check.blocker?.path == "services/api/migrations/V4__gone.sql")
        #expect(check.refusal(component: "api", version: "v3", environment: "production")?.contains("it has no compensating script") == true)
    }
}
