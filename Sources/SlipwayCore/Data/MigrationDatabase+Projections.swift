import Foundation
import PostgresNIO

/// The SQL a projection rebuild runs on the component's database: its lock, the version tables,
/// the default comparison and the switch. Table names are lower-case SQL names the config checked.
extension MigrationDatabase {
    /// The advisory lock key of one projection's rebuilds, apart from the migration lock's.
    static func projectionLockKey(_ table: String) -> String {
        "hashtext('slipway.projection.\(table)')::bigint"
    }

    /// Takes the projection's rebuild lock for this session; false when another rebuild holds it.
    func tryProjectionLock(_ table: String) async throws(SlipwayError) -> Bool {
        try await strings("SELECT pg_try_advisory_lock(\(Self.projectionLockKey(table)))::text").first == "true"
    }

    func unlockProjection(_ table: String) async {
        try? await run(PostgresQuery(unsafeSQL: "SELECT pg_advisory_unlock(\(Self.projectionLockKey(table)))"))
    }

    func tableExists(_ table: String) async throws(SlipwayError) -> Bool {
        try await strings("SELECT (to_regclass('\"\(table)\"') IS NOT NULL)::text").first == "true"
    }

    func dropTable(_ table: String) async throws(SlipwayError) {
        try await run(PostgresQuery(unsafeSQL: "DROP TABLE IF EXISTS \"\(table)\""))
    }

    /// The first column of every row `sql` returns, as text (NULL as `NULL`).
    func strings(_ sql: String) async throws(SlipwayError) -> [String] {
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            var values: [String] = []
            for try await value in rows.decode(String?.self) { values.append(value ?? "NULL") }
            return values
        } catch {
            throw .failure("database '\(name)': \(Self.describe(error))")
        }
    }

    /// The default comparison: row counts and an order-independent checksum (the sum of each
    /// row's hash) of both tables and, when they differ, up to `sample` rows only one holds.
    /// Empty when they agree.
    func tableDifferences(live: String, new: String, sample: Int) async throws(SlipwayError) -> [String] {
        guard try await tableExists(live) else { return ["the live table \(live) does not exist: nothing to compare with"] }
        func summary(_ table: String) async throws(SlipwayError) -> (count: String, checksum: String) {
            let values = try await strings(
                "SELECT count(*)::text || ' ' || coalesce(sum(hashtext(t::text)::bigint), 0)::text FROM \"\(table)\" t")
            let words = (values.first ?? "0 0").split(separator: " ")
            return (String(words.first ?? "0"), String(words.last ?? "0"))
        }
        let old = try await summary(live)
        let rebuilt = try await summary(new)
        guard old != rebuilt else { return [] }
        var differences: [String] = []
        if old.count != rebuilt.count { differences.append("rows: \(old.count) in \(live), \(rebuilt.count) in \(new)") }
        if old.checksum != rebuilt.checksum {
            differences.append("checksum: \(old.checksum) in \(live), \(rebuilt.checksum) in \(new)")
        }
        do {
            for (from, other) in [(live, new), (new, live)] {
                let rows = try await strings(
                    "SELECT d::text FROM (SELECT * FROM \"\(from)\" EXCEPT ALL SELECT * FROM \"\(other)\") d ORDER BY 1 LIMIT \(sample + 1)")
                differences += rows.prefix(sample).map { "only in \(from): \($0)" }
                if rows.count > sample { differences.append("only in \(from): more rows than the \(sample) shown") }
            }
        } catch {
            differences.append("rows cannot be compared column by column (\(error.message)): give the projection a compare query")
        }
        return differences
    }

    /// The rows of a projection's compare query (`{live}` and `{new}` replaced by the tables),
    /// each a difference, at most `limit` of them and a line saying there are more.
    func queryDifferences(_ query: String, live: String, new: String, limit: Int) async throws(SlipwayError) -> [String] {
        var sql = query.replacingOccurrences(of: "{live}", with: "\"\(live)\"").replacingOccurrences(of: "{new}", with: "\"\(new)\"")
        while sql.hasSuffix(";") || sql.last?.isWhitespace == true { sql.removeLast() }
        let rows = try await strings("SELECT d::text FROM (\(sql)) d LIMIT \(limit + 1)")
        return rows.prefix(limit).map { $0 } + (rows.count > limit ? ["more differences than the \(limit) shown"] : [])
    }

    /// Puts `new` in `live`'s place in one transaction, keeping the live table as `keptAs`.
    func switchTables(live: String, new: String, keptAs: String) async throws(SlipwayError) {
        try await run("BEGIN")
        do {
            if try await tableExists(live) {
                try await run(PostgresQuery(unsafeSQL: "LOCK TABLE \"\(live)\" IN ACCESS EXCLUSIVE MODE"))
                try await run(PostgresQuery(unsafeSQL: "ALTER TABLE \"\(live)\" RENAME TO \"\(keptAs)\""))
            }
            try await run(PostgresQuery(unsafeSQL: "ALTER TABLE \"\(new)\" RENAME TO \"\(live)\""))
            try await run("COMMIT")
        } catch {
            try? await run("ROLLBACK")
            throw error
        }
    }
}
