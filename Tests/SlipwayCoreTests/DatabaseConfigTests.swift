import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

@Suite struct DatabaseConfigTests {
    static let config = """
        databases:
          neon-main:
            url_env: NEON_MAIN_URL
          neon-staging:
            urlEnv: NEON_STAGING_URL
        environments:
          staging:
            database: neon-staging
          production:
            database: "neon-main"
        """

    @Test func databasesMapNamesToTheVariableHoldingTheConnectionString() throws {
        let config = try WorkspaceConfig.parse(Self.config, file: "slipway.yml")
        #expect(config.databases["neon-main"]?.urlEnv == "NEON_MAIN_URL")
        #expect(config.databases["neon-staging"]?.urlEnv == "NEON_STAGING_URL")
        #expect(try config.environment(named: "production").database == "neon-main")
        #expect(config.secretNames.contains("NEON_MAIN_URL"))
    }

    @Test func aNeonDatabaseNamesItsProjectAndBranchAndNeedsNoConnectionString() throws {
        let config = try WorkspaceConfig.parse(
            "databases:\n  neon-main:\n    provider: neon\n    project_id: shy-sun-123456\n    branch: main\n", file: "slipway.yml")
        #expect(config.databases["neon-main"]?.provider == .neon(projectID: "shy-sun-123456", branch: "main"))
        #expect(config.databases["neon-main"]?.urlEnv == nil)
        #expect(config.secretNames.contains("NEON_API_KEY"))
        let plain = try WorkspaceConfig.parse("databases:\n  main:\n    url_env: MAIN_URL\n    provider: postgresql\n", file: "slipway.yml")
        #expect(plain.databases["main"]?.provider == .postgresql)
        #expect(!plain.secretNames.contains("NEON_API_KEY"))
    }

    @Test func aComponentDeclaresItsMigrationsFolder() throws {
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": Self.config, "services/accounts/slipway.yml": "database: {migrations: db/migrations/}\n",
            "services/web/slipway.yml": "port: 8080\n",
        ])
        let loaded = try Workspace.load(at: workspace.root)
        #expect(try loaded.component(named: "accounts").settings.database?.migrations == "db/migrations")
        #expect(try loaded.component(named: "web").settings.database == nil)
    }

    @Test(arguments: [
        ("databases:\n  main:\n    url: postgres://x\n", "slipway.yml:3:5: unknown key 'url' in database 'main'"),
        ("databases:\n  main: {}\n", "slipway.yml:2:9: database 'main' needs url_env"),
        ("databases:\n  main:\n    url_env: \"not a name\"\n", "slipway.yml:3:14: url_env must be an environment variable name"),
        ("databases:\n  Main:\n    url_env: X\n", "slipway.yml:2:3: database name 'Main' must match"),
        ("databases: [main]\n", "slipway.yml:1:12: databases must be a mapping"),
        ("databases:\n  main:\n    url_env: MAIN_URL\nenvironments:\n  production:\n    database: neon-main\n",
         "slipway.yml:6:15: unknown database 'neon-main' (known: main)"),
        ("databases:\n  main:\n    provider: neo\n", "slipway.yml:3:15: unknown database provider 'neo'; did you mean 'neon'? (known: postgresql, neon)"),
        ("databases:\n  main:\n    provider: neon\n    branch: main\n", "slipway.yml:3:5: database 'main' uses provider neon and needs project_id"),
        ("databases:\n  main:\n    provider: neon\n    project_id: shy-sun-1\n", "slipway.yml:3:5: database 'main' uses provider neon and needs branch"),
        ("databases:\n  main:\n    url_env: X\n    project_id: shy-sun-1\n", "slipway.yml:4:17: project_id and branch in database 'main' are for provider: neon"),
        ("databases:\n  main:\n    provider: neon\n    project_id: shy-sun-1\n    branch: a/b\n",
         "slipway.yml:5:13: branch must be a Neon ID or branch name (letters, digits, '-', '_', '.'), found 'a/b'"),
        ("databases:\n  main:\n    provider: neon\n    project_id: shy-sun-1\n    branch: main\n    url_env: 1X\n",
         "slipway.yml:6:14: url_env must be an environment variable name"),
    ])
    func badDatabaseConfigNamesFileLineAndColumn(text: String, expected: String) throws {
        let error = #expect(throws: SlipwayError.self) { try WorkspaceConfig.parse(text, file: "slipway.yml") }
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "no error")")
        #expect(error?.exitCode == 2)
    }

    @Test(arguments: [
        ("database: {migrations: /etc}\n", "services/accounts/slipway.yml:1:24: migrations must be a folder inside the component"),
        ("database: {migrations: ../other}\n", "services/accounts/slipway.yml:1:24: migrations must be a folder inside the component"),
        ("database: {}\n", "services/accounts/slipway.yml:1:11: database needs migrations"),
        ("database: {migration: m/}\n", "services/accounts/slipway.yml:1:12: unknown key 'migration' in database; did you mean 'migrations'?"),
        ("database:\n  migrations: m/\n  retention: {backups: 0d}\n", "services/accounts/slipway.yml:3:24: database.retention.backups must be a number of days"),
        ("database:\n  migrations: m/\n  retention: {backups: 5d, pitr: 7d}\n", "services/accounts/slipway.yml:3:14: database.retention.pitr (7d) cannot be longer"),
        ("database:\n  migrations: m/\n  rpo: soon\n", "services/accounts/slipway.yml:3:8: database.rpo must be a duration such as 90s, 5m or 1h"),
        ("database:\n  migrations: m/\n  rto: 0s\n", "services/accounts/slipway.yml:3:8: database.rto must be longer than zero"),
        ("database:\n  migrations: m/\n  verify_query: ''\n", "services/accounts/slipway.yml:3:17: database.verify_query must be an SQL query"),
    ])
    func badComponentDatabaseSettings(text: String, expected: String) throws {
        let workspace = try TemporaryWorkspace(files: ["services/accounts/slipway.yml": text])
        // A bad component is set aside with its error, which any command naming it fails with.
        let loaded = try Workspace.load(at: workspace.root)
        let error = loaded.problems.first { $0.name == "accounts" }?.error
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "no error")")
        #expect(error?.exitCode == 2)
    }

    @Test func aComponentDatabaseSaysWhereAndHowLongItsBackupsAreKept() throws {
        let workspace = try TemporaryWorkspace(files: [
            "slipway.yml": Self.config,
            "services/accounts/slipway.yml": "database:\n  migrations: m/\n  backup_folder: /srv/backups/accounts\n  retention: {backups: 14d, pitr: 3}\n"
                + "  rpo: 15m\n  rto: 2h\n  verify_query: SELECT count(*) FROM notes\n",
            "services/web/slipway.yml": "database: {migrations: m/}\n",
        ])
        let loaded = try Workspace.load(at: workspace.root)
        let accounts = try #require(try loaded.component(named: "accounts").settings.database)
        #expect(accounts.backupFolder == "/srv/backups/accounts")
        #expect(accounts.retention == DatabaseRetention(backupDays: 14, recoveryDays: 3))
        #expect(accounts.objectives == RecoveryObjectives(point: 900, time: 7200) && accounts.verifyQuery == "SELECT count(*) FROM notes")
        let web = try #require(try loaded.component(named: "web").settings.database)
        #expect(web.retention == DatabaseRetention(backupDays: 30, recoveryDays: 7))
        #expect(web.objectives == RecoveryObjectives(point: 3600, time: 14_400) && web.verifyQuery == nil)
    }

    @Test func connectionStringsAndTheirPasswordsAreMasked() async throws {
        let workspace = try TemporaryWorkspace(files: ["slipway.yml": Self.config, "services/accounts/slipway.yml": "port: 9000\n"])
        let url = "postgres://app:s3cr%40t-pass@db.example.com:5432/main?sslmode=require"
        let engine = try await Engine.open(
            workspace: workspace.root, state: workspace.statePath, environment: ["NEON_MAIN_URL": url], output: { _ in })
        #expect(engine.masker.mask("connecting to \(url)") == "connecting to \(SecretMasker.mask)")
        #expect(engine.masker.mask("password s3cr@t-pass rejected") == "password \(SecretMasker.mask) rejected")
    }

    @Test func connectionStringsParseAsLibpqReadsThem() throws {
        let tcp = try DatabaseURL("postgresql://app:p%40ss@db.example.com:6543/main?sslmode=verify-full", name: "x")
        #expect(tcp.endpoint == .tcp(host: "db.example.com", port: 6543))
        #expect(tcp.user == "app")
        #expect(tcp.password == "p@ss")
        #expect(tcp.database == "main")
        #expect(tcp.tls == .verifyFull)
        let socket = try DatabaseURL("postgres://postgres@/db?host=/tmp/pg", name: "x")
        #expect(socket.endpoint == .socket(path: "/tmp/pg/.s.PGSQL.5432"))
        #expect(socket.tls == .disable)
        let error = #expect(throws: SlipwayError.self) { try DatabaseURL("mysql://root:hunter2@h/db", name: "database 'main'") }
        #expect(error?.message == "the connection string of database 'main' is not a postgres:// URL")
    }
}
