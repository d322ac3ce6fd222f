import GRDB

/// The reads a console makes on every event and every poll, from statements each connection
/// prepares once: GRDB's query interface writes and prepares its SQL anew on every call, which
/// was about a tenth of an idle console's CPU.
extension FetchableRecord where Self: TableRecord {
    /// The rows of this record's table that `condition` keeps (SQL after `WHERE`, none for
    /// every row), ordered by `order` (SQL after `ORDER BY`), at most `limit`.
    static func fetchAll(
        _ db: Database, where condition: String? = nil, arguments: StatementArguments = [], orderedBy order: String? = nil,
        limit: Int? = nil
    ) throws -> [Self] {
        var sql = "SELECT * FROM \(databaseTableName)"
        if let condition { sql += " WHERE \(condition)" }
        if let order { sql += " ORDER BY \(order)" }
        var arguments = arguments
        if let limit {
            sql += " LIMIT ?"
            arguments += [limit]
        }
        return try fetchAll(db.cachedStatement(sql: sql), arguments: arguments)
    }

    /// The rows of the hosts in `hosts`, their host named in `hostColumn`, ordered by `order`.
    static func fetchAll(_ db: Database, on hosts: HostScope, hostColumn: String = "host", orderedBy order: String) throws -> [Self] {
        switch hosts {
        case .everyHost: try fetchAll(db, orderedBy: order)
        case .host(let name): try fetchAll(db, where: "\(hostColumn) = ?", arguments: [name], orderedBy: order)
        }
    }
}
