import SlipwayCore
import Testing

@Suite struct MigrationLintTests {
    func rules(_ text: String) -> [MigrationLintRule] {
        MigrationLinter.lint(text, file: "V1__x.sql").filter { !$0.isAllowed }.map(\.rule)
    }

    /// Every rule of FIELD-NOTES, each in several styles: case, quoting, schema names, comments
    /// between the words, and several statements in one file.
    @Test(arguments: [
        (MigrationLintRule.dropSchema, ["DROP SCHEMA billing CASCADE", "drop schema if exists \"Billing\""]),
        (.dropTable, ["DROP TABLE accounts", "drop table if exists public.accounts, sessions", "Drop /* old */ Table \"Accounts\""]),
        (.dropColumn, [
            "ALTER TABLE accounts DROP COLUMN email", "alter table public.accounts drop email",
            "ALTER TABLE ONLY \"Accounts\" DROP COLUMN IF EXISTS \"E-mail\" CASCADE",
            "ALTER TABLE accounts ADD COLUMN name text, DROP COLUMN email",
        ]),
        (.dropConstraint, ["ALTER TABLE accounts DROP CONSTRAINT accounts_email_key", "alter table a drop constraint if exists c"]),
        (.renameTable, ["ALTER TABLE accounts RENAME TO users", "alter table if exists public.accounts rename to users", "ALTER TABLE a SET SCHEMA archive"]),
        (.renameColumn, ["ALTER TABLE accounts RENAME COLUMN email TO mail", "alter table accounts rename \"Email\" to mail"]),
        (.changeColumnType, [
            "ALTER TABLE accounts ALTER COLUMN id TYPE bigint", "alter table accounts alter id set data type bigint",
            "ALTER TABLE a ALTER COLUMN b TYPE numeric(10, 2) USING b::numeric",
        ]),
        (.setNotNull, ["ALTER TABLE accounts ALTER COLUMN email SET NOT NULL", "alter table accounts alter email set not null"]),
        (.dropNotNull, ["ALTER TABLE accounts ALTER COLUMN email DROP NOT NULL"]),
        (.addRequiredColumn, [
            "ALTER TABLE accounts ADD COLUMN tier text NOT NULL", "alter table accounts add tier int not null",
            "ALTER TABLE accounts ADD COLUMN created timestamptz NOT NULL DEFAULT clock_timestamp()",
            "ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid()",
            "ALTER TABLE accounts ADD COLUMN seq bigserial",
        ]),
        (.uniqueConstraint, [
            "ALTER TABLE accounts ADD CONSTRAINT email_unique UNIQUE (email)", "alter table accounts add unique (email)",
            "ALTER TABLE accounts ADD PRIMARY KEY (id)", "CREATE UNIQUE INDEX accounts_email ON accounts (email)",
            "ALTER TABLE accounts ADD COLUMN handle text UNIQUE",
        ]),
        (.constraintWithoutNotValid, [
            "ALTER TABLE accounts ADD CONSTRAINT positive CHECK (balance >= 0)",
            "alter table orders add foreign key (account_id) references accounts (id)",
        ]),
        (.truncate, ["TRUNCATE accounts", "truncate table accounts restart identity"]),
        (.deleteWithoutWhere, ["DELETE FROM accounts", "delete from accounts using old where_not_a_clause", "WITH gone AS (SELECT 1) DELETE FROM accounts"]),
        (.updateWithoutWhere, ["UPDATE accounts SET tier = 'free'", "update accounts set note = 'WHERE'", "WITH s AS (SELECT 1) UPDATE accounts SET x = (SELECT 1 FROM s WHERE true)"]),
    ])
    func everyRuleIsCaught(rule: MigrationLintRule, statements: [String]) {
        for statement in statements {
            #expect(rules("CREATE TABLE unrelated (id int);\n\(statement);") == [rule], "\(statement)")
        }
    }

    @Test(arguments: [
        "CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE)",
        "CREATE INDEX accounts_email ON accounts (email)",
        "CREATE UNIQUE INDEX CONCURRENTLY accounts_email ON accounts (email)",
        "ALTER TABLE accounts ADD CONSTRAINT email_unique UNIQUE USING INDEX accounts_email",
        "CREATE VIEW active AS SELECT * FROM accounts WHERE NOT deleted",
        "ALTER TABLE accounts ADD COLUMN nickname text",
        "ALTER TABLE accounts ADD COLUMN tier text NOT NULL DEFAULT 'free'",
        "alter table accounts add column score int not null default -1",
        "ALTER TABLE accounts ADD COLUMN tags jsonb NOT NULL DEFAULT '[]'::jsonb",
        "ALTER TABLE accounts ADD COLUMN seen timestamptz NOT NULL DEFAULT now()",
        "ALTER TABLE accounts ADD CONSTRAINT positive CHECK (balance >= 0) NOT VALID",
        "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID",
        "ALTER TABLE accounts VALIDATE CONSTRAINT positive",
        "ALTER TABLE accounts ALTER COLUMN tier SET DEFAULT 'free'",
        "ALTER TABLE accounts RENAME CONSTRAINT a TO b",
        "DELETE FROM sessions WHERE expires < now()",
        "UPDATE accounts SET tier = 'free' WHERE tier IS NULL",
        "INSERT INTO accounts (id) SELECT id FROM legacy ON CONFLICT DO NOTHING",
        "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES accounts (id) ON DELETE CASCADE NOT VALID",
        "SELECT 'DROP TABLE accounts', \"DROP TABLE\" FROM t",
        "-- DROP TABLE accounts\nSELECT 1",
        "/* ALTER TABLE a DROP COLUMN b; */ SELECT 1",
        "CREATE FUNCTION purge() RETURNS void LANGUAGE sql AS $$ DELETE FROM sessions; DROP TABLE x $$",
        "COMMENT ON COLUMN accounts.email IS 'DROP COLUMN later'",
    ])
    func additiveStatementsPass(statement: String) {
        #expect(rules(statement + ";").isEmpty, "\(statement)")
    }

    @Test func aTableCreatedInTheSameFileMayBeShapedFreely() {
        let script = """
            CREATE TABLE IF NOT EXISTS billing.invoices (id bigint);
            ALTER TABLE billing.invoices ADD COLUMN total numeric NOT NULL;
            ALTER TABLE invoices ADD CONSTRAINT invoices_pk PRIMARY KEY (id);
            CREATE UNIQUE INDEX invoices_total ON invoices (total);
            ALTER TABLE "invoices" ALTER COLUMN total TYPE bigint;
            ALTER TABLE accounts DROP COLUMN email;
            """
        #expect(rules(script) == [.dropColumn])
    }

    @Test func findingsNameFileLineColumnRuleAndWhy() {
        let script = "CREATE TABLE t (id int);\n\nALTER TABLE accounts\n    ADD COLUMN a text,\n    DROP COLUMN email;\n"
        let findings = MigrationLinter.lint(script, file: "services/accounts/migrations/V2__drop.sql")
        #expect(findings.count == 1)
        let finding = findings[0]
        #expect(finding.location == "services/accounts/migrations/V2__drop.sql:5:5")
        #expect(finding.rule == .dropColumn)
        #expect(finding.statement == "ALTER TABLE accounts DROP COLUMN email")
        #expect(finding.description.hasPrefix("services/accounts/migrations/V2__drop.sql:5:5: drop-column: ALTER TABLE accounts DROP COLUMN email: "))
        #expect(finding.description.contains("breaks the running release"))
    }

    @Test func doBlocksAreLintedAtTheirOwnLines() {
        let script = """
            DO $$
            BEGIN
              IF EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'legacy') THEN
                ALTER TABLE legacy DROP COLUMN note;
              END IF;
              TRUNCATE audit;
            END
            $$;
            DO LANGUAGE plpgsql $x$ BEGIN PERFORM 1; END $x$;
            """
        let findings = MigrationLinter.lint(script, file: "V3__do.sql")
        #expect(findings.map(\.rule) == [.dropColumn, .truncate])
        #expect(findings.map(\.location) == ["V3__do.sql:4:24", "V3__do.sql:6:3"])
    }

    @Test func allowCommentsExcuseTheirRuleAndGiveTheReason() {
        let script = """
            -- slipway:allow drop-column: nothing reads email since release 41 (checked in logs)
            ALTER TABLE accounts DROP COLUMN email;
            ALTER TABLE accounts DROP COLUMN phone; -- slipway:allow drop-column, rename-column: moved to contacts
            /* slipway:allow truncate: scratch table */ TRUNCATE scratch;
            -- slipway:allow drop-table: wrong rule for this statement
            TRUNCATE other;
            """
        let findings = MigrationLinter.lint(script, file: "V4__allow.sql")
        #expect(findings.map(\.rule) == [.dropColumn, .dropColumn, .truncate, .truncate])
        #expect(findings.map(\.allowedBecause) == [
            "nothing reads email since release 41 (checked in logs)", "moved to contacts", "scratch table", nil,
        ])
        #expect(findings[0].description == "V4__allow.sql:2:22: drop-column allowed: nothing reads email since release 41 (checked in logs) (ALTER TABLE accounts DROP COLUMN email)")
    }

    @Test func allowCommentsInsideADoBlockOrOnItApply() {
        let script = """
            -- slipway:allow truncate: emptied before the backfill
            DO $$ BEGIN TRUNCATE staging_rows; END $$;
            DO $$
            BEGIN
              -- slipway:allow drop-column: moved
              ALTER TABLE a DROP COLUMN b;
            END $$;
            """
        let findings = MigrationLinter.lint(script, file: "V5.sql")
        #expect(findings.map(\.rule) == [.truncate, .dropColumn])
        #expect(findings.allSatisfy { $0.isAllowed })
    }

    @Test func malformedAllowCommentsAreFindings() {
        let script = """
            -- slipway:allow drop-colum: typo
            ALTER TABLE a DROP COLUMN b;
            -- slipway:allow drop-column:
            ALTER TABLE a DROP COLUMN c;
            -- slipway:allow drop-column
            ALTER TABLE a DROP COLUMN d;
            """
        let findings = MigrationLinter.lint(script, file: "V6.sql").filter { !$0.isAllowed }
        #expect(findings.map(\.rule) == [.allowComment, .dropColumn, .allowComment, .dropColumn, .allowComment, .dropColumn])
        #expect(findings[0].location == "V6.sql:1:1")
        #expect(findings[0].statement.contains("unknown rule 'drop-colum'"))
    }

    @Test func aFileEndingInsideAStringIsOneFinding() {
        let findings = MigrationLinter.lint("ALTER TABLE a DROP COLUMN b;\nSELECT 'never closed;\n", file: "V7.sql")
        #expect(findings.map(\.rule) == [.unterminated])
        #expect(findings[0].location == "V7.sql:2:8")
    }
}
