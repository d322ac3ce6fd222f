import Foundation
import Logging
import PostgresNIO

/// One connection to a component's database, for its migrations: the schema history in
/// Flyway's `flyway_schema_history` layout, the advisory lock that serialises applies, and
/// running one file.
public struct MigrationDatabase: Sendable {
    public static let historyTable = "flyway_schema_history"
    /// The advisory lock key every Slipway apply takes on a database (an arbitrary constant:
    /// "slipway" in ASCII), so two applies never interleave.
    public static let lockKey: Int64 = 0x73_6C_69_70_77_61_79

    let connection: PostgresConnection
    let logger: Logger
    /// How the database is named in messages (`neon-main`).
    public let name: String

    public static func connect(_ url: DatabaseURL, name: String) async throws(SlipwayError) -> MigrationDatabase {
        let logger = Logger(label: "slipway.migrate")
        let configuration = try url.configuration()
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            return MigrationDatabase(connection: connection, logger: logger, name: name)
        } catch {
            throw SlipwayError(.database(name: name, .cannotConnect(problem: Self.describe(error))))
        }
    }

    public func close() async {
        try? await connection.close()
    }

    /// The server's message for `error`, one line.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let info = error.serverInfo, let message = info[.message] {
                let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return message + state
            }
            return error.underlying.map { "\($0)" } ?? "\(error.code)"
        }
        return "\(error)"
    }

    func run(_ query: PostgresQuery) async throws(SlipwayError) {
        do {
            try await connection.query(query, logger: logger)
        } catch {
            throw SlipwayError(.database(name: name, .failed(problem: Self.describe(error), sql: nil)))
        }
    }

    // MARK: Lock

    /// Runs `body` holding the database's migration lock; `waiting` is told once when another
    /// apply holds it and this one waits its turn (the server queues the waiters).
    public func withLock<Result: Sendable>(
        waiting: @Sendable () -> Void, _ body: () async throws(SlipwayError) -> Result
    ) async throws(SlipwayError) -> Result {
        let acquired: Bool
        do {
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(Self.lockKey))", logger: logger)
            acquired = try await rows.decode(Bool.self).first { _ in true } ?? false
        } catch {
            throw SlipwayError(.database(name: name, .cannotLock(problem: Self.describe(error))))
        }
        if !acquired {
            waiting()
            try await run("SELECT pg_advisory_lock(\(Self.lockKey))")
        }
        do {
            let result = try await body()
            try await run("SELECT pg_advisory_unlock(\(Self.lockKey))")
            return result
        } catch {
            try? await run("SELECT pg_advisory_unlock(\(Self.lockKey))")
            throw error
        }
    }

    // MARK: History

    /// Creates the history table as Flyway does on PostgreSQL, when it is absent.
    public func createHistoryTable() async throws(SlipwayError) {
        try await run(PostgresQuery(unsafeSQL: """
            CREATE TABLE IF NOT EXISTS "\(Self.historyTable)" (
                "installed_rank" INT NOT NULL,
                "version" VARCHAR(50),
                "description" VARCHAR(200) NOT NULL,
                "type" VARCHAR(20) NOT NULL,
                "script" VARCHAR(1000) NOT NULL,
                "checksum" INTEGER,
                "installed_by" VARCHAR(100) NOT NULL,
                "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
                "execution_time" INTEGER NOT NULL,
                "success" BOOLEAN NOT NULL,
                CONSTRAINT "\(Self.historyTable)_pk" PRIMARY KEY ("installed_rank")
            )
            """))
        try await run(PostgresQuery(unsafeSQL:
            "CREATE INDEX IF NOT EXISTS \"\(Self.historyTable)_s_idx\" ON \"\(Self.historyTable)\" (\"success\")"))
    }

    /// Every history row in rank order; none when the table does not exist yet.
    public func history() async throws(SlipwayError) -> [SchemaHistoryEntry] {
        do {
            let exists = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT to_regclass('\"\(Self.historyTable)\"') IS NOT NULL"), logger: logger
            ).decode(Bool.self).first { _ in true } ?? false
            guard exists else { return [] }
            let rows = try await connection.query(PostgresQuery(unsafeSQL: """
                SELECT installed_rank, version, description, type, script, checksum, installed_by, installed_on,
                       execution_time, success
                FROM "\(Self.historyTable)" ORDER BY installed_rank
                """), logger: logger)
            var entries: [SchemaHistoryEntry] = []
            for try await (rank, version, description, type, script, checksum, by, on, time, success) in rows.decode(
                (Int32, String?, String, String, String, Int32?, String, Date, Int32, Bool).self)
            {
                entries.append(SchemaHistoryEntry(
                    installedRank: Int(rank), version: version, description: description, type: type, script: script,
                    checksum: checksum, installedBy: by, installedOn: on, executionTime: Int(time), success: success))
            }
            return entries
        } catch {
            throw SlipwayError(.database(name: name, .cannotRead(what: Self.historyTable, problem: Self.describe(error))))
        }
    }

    func record(_ file: MigrationFile, milliseconds: Int, success: Bool) async throws(SlipwayError) {
        let version = file.version.text
        let description = file.description
        let script = file.script
        let checksum = file.checksum
        let time = Int32(clamping: milliseconds)
        try await run("""
            INSERT INTO flyway_schema_history
                (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
            SELECT COALESCE(MAX(installed_rank), 0) + 1, \(version), \(description), 'SQL', \(script), \(checksum),
                   current_user, \(time), \(success)
            FROM flyway_schema_history
            """)
    }

    /// Deletes the rows of failed migrations (Flyway's repair); returns how many.
    public func removeFailedEntries() async throws(SlipwayError) -> Int {
        do {
            let rows = try await connection.query(
                "DELETE FROM flyway_schema_history WHERE NOT success RETURNING installed_rank", logger: logger)
            var count = 0
            for try await _ in rows.decode(Int32.self) { count += 1 }
            return count
        } catch {
            throw SlipwayError(.database(name: name, .cannotRepair(table: Self.historyTable, problem: Self.describe(error))))
        }
    }

    // MARK: Apply

    /// Runs `file` statement by statement, in one transaction unless one of its statements
    /// cannot run in one, and records it in the history (as failed when a statement fails,
    /// after rolling the transaction back). Returns the milliseconds it took.
    public func apply(_ file: MigrationFile, path: String) async throws(SlipwayError) -> Int {
        let statements = SQLStatement.split(file.text)
        let transactional = !statements.contains(where: \.cannotRunInTransaction)
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Int {
            let duration = clock.now - start
            return Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
        if transactional { try await run("BEGIN") }
        for statement in statements {
            do {
                try await connection.query(PostgresQuery(unsafeSQL: String(statement.sql)), logger: logger)
            } catch {
                let reason = Self.describe(error)
                if transactional { try? await run("ROLLBACK") }
                try? await record(file, milliseconds: elapsed(), success: false)
                let undone = transactional
                    ? "the file was rolled back"
                    : "the statements before it stay applied (the file runs outside a transaction)"
                throw SlipwayError(.migration(.statementFailed(
                    path: path, line: statement.line, column: statement.column, problem: reason, undone: undone)))
            }
        }
        let milliseconds = elapsed()
        do {
            try await record(file, milliseconds: milliseconds, success: true)
            if transactional { try await run("COMMIT") }
        } catch {
            if transactional { try? await run("ROLLBACK") }
            throw error
        }
        return milliseconds
    }
}
