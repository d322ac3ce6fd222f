import Foundation
import Logging
import PostgresNIO

/// One connection to a component database's server, for what backups ask of it: settings,
/// `ALTER SYSTEM`, the clock and WAL positions.
public struct DatabaseServer: Sendable {
    let connection: PostgresConnection
    let logger = Logger(label: "slipway.backup")
    /// How the database is named in messages (`main`).
    public let name: String

    public static func connect(_ url: DatabaseURL, name: String, environment: String) async throws(SlipwayError) -> DatabaseServer {
        let configuration = try url.configuration()
        do {
            let connection = try await PostgresConnection.connect(
                configuration: configuration, id: 1, logger: Logger(label: "slipway.backup"))
            return DatabaseServer(connection: connection, name: name)
        } catch {
            throw SlipwayError(.database(name: name, .unreachable(environment: environment, problem: MigrationDatabase.describe(error))))
        }
    }

    public func close() async {
        try? await connection.close()
    }

    /// The first column of the first row `sql` returns, as text.
    public func text(_ sql: String) async throws(SlipwayError) -> String? {
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            for try await value in rows.decode(String?.self) { return value }
            return nil
        } catch {
            throw SlipwayError(.database(name: name, .failed(problem: MigrationDatabase.describe(error), sql: sql)))
        }
    }

    /// The server's clock.
    public func now() async throws(SlipwayError) -> Date {
        do {
            let rows = try await connection.query("SELECT clock_timestamp()", logger: logger)
            for try await value in rows.decode(Date.self) { return value }
        } catch {
            throw SlipwayError(.database(name: name, .cannotRead(what: "the server's clock", problem: MigrationDatabase.describe(error))))
        }
        throw SlipwayError(.database(name: name, .cannotRead(what: "the server's clock", problem: nil)))
    }

    /// The server's major version (15 for 15.4).
    public func majorVersion() async throws(SlipwayError) -> Int {
        guard let text = try await text("SHOW server_version_num"), let number = Int(text) else {
            throw SlipwayError(.database(name: name, .cannotRead(what: "the server's version", problem: nil)))
        }
        return number / 10_000
    }

    /// A setting as the server reports it (`SHOW`).
    public func setting(_ name: String) async throws(SlipwayError) -> String {
        try await text("SHOW \(name)") ?? ""
    }

    /// `ALTER SYSTEM SET name = 'value'`: written to postgresql.auto.conf, in force after a
    /// reload or, for postmaster settings, a restart.
    public func alterSystem(_ name: String, to value: String) async throws(SlipwayError) {
        _ = try await text("ALTER SYSTEM SET \(name) = \(Self.literal(value))")
    }

    /// `value` as an SQL string literal.
    static func literal(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
