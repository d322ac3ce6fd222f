import Foundation

/// A PostgreSQL server the benchmarks may create and drop databases on, named by libpq keywords
/// (e.g. 'host=/tmp/pg user=postgres'), reached through `psql`.
struct BenchServer {
    let keywords: String
    let psql: String

    init(_ keywords: String) throws {
        guard let psql = ["/usr/bin/psql", "/usr/local/bin/psql"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw BenchError("psql not found: apt-get install -y postgresql-client")
        }
        self.keywords = keywords
        self.psql = psql
    }

    /// The store URL of `database` on this server.
    func url(of database: String) -> String {
        let pairs = Dictionary(keywords.split(separator: " ").compactMap { pair -> (String, String)? in
            let parts = pair.split(separator: "=", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }) { _, last in last }
        let user = pairs["user"] ?? "postgres"
        let host = pairs["host"] ?? "/var/run/postgresql"
        return host.hasPrefix("/")
            ? "postgres://\(user)@/\(database)?host=\(host)"
            : "postgres://\(user)@\(host):\(pairs["port"] ?? "5432")/\(database)"
    }

    func recreate(_ database: String) throws {
        try drop(database)
        try runProcess(psql, ["-X", "-q", "\(keywords) dbname=postgres", "-c", "CREATE DATABASE \(database)"])
    }

    /// FORCE: a store keeps its connections open until it goes.
    func drop(_ database: String) throws {
        try runProcess(psql, ["-X", "-q", "\(keywords) dbname=postgres", "-c", "DROP DATABASE IF EXISTS \(database) WITH (FORCE)"])
    }

    /// Runs `sql` in `database` and returns psql's wall time and output.
    @discardableResult
    func run(_ sql: String, in database: String) throws -> (seconds: Double, output: String) {
        try runProcess(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "\(keywords) dbname=\(database)", "-c", sql])
    }
}
