import SlipwayTestSupport

/// The service `accounts` with one migration, and staging and production each on a database of
/// its own in the test run's PostgreSQL cluster, named by `MAIN_DB_URL` and `PROD_DB_URL`.
enum MigratingServiceWorkspace {
    /// The `databases:` and `environments:` blocks of its `slipway.yml`.
    static let databases = """
        databases:
          main: {url_env: MAIN_DB_URL}
          prod: {url_env: PROD_DB_URL}
        environments:
          staging: {database: main}
          production: {database: prod}

        """

    /// The service's files: a Makefile deploy, and `V1__create_accounts.sql`.
    static let service = [
        "services/accounts/Makefile": FakeCloudWorkspace.makefile(name: "accounts"),
        "services/accounts/app.txt": "accounts-1",
        "services/accounts/slipway.yml": "database: {migrations: migrations/}\n",
        "services/accounts/migrations/V1__create_accounts.sql": "CREATE TABLE accounts (id bigint PRIMARY KEY);\n",
    ]

    /// `slipway` with a new staging and production database each: the URLs are in its environment.
    static func connect(_ slipway: inout SlipwayProcess) async throws {
        slipway.environment["MAIN_DB_URL"] = try await PostgresCluster.shared().createDatabase()
        slipway.environment["PROD_DB_URL"] = try await PostgresCluster.shared().createDatabase()
    }
}
