extension SlipwayError.Reason {
    /// What went wrong talking to a PostgreSQL database; its name is the case's `name`, and
    /// `problem` is what the server or driver said, already on one line.
    public enum DatabaseProblem: Sendable, Equatable {
        /// The database of `environment` could not be reached.
        case unreachable(environment: String, problem: String)
        case cannotConnect(problem: String)
        /// A statement failed; `sql` is shown when given.
        case failed(problem: String, sql: String?)
        /// `what` (the server's clock, its version, the history table) could not be read.
        case cannotRead(what: String, problem: String?)
        /// Another migration run holds the migration lock.
        case cannotLock(problem: String)
        case cannotRepair(table: String, problem: String)

        func line(database name: String) -> String {
            switch self {
            case .unreachable(let environment, let problem):
                "cannot reach database '\(name)' of environment \(environment): \(problem)"
            case .cannotConnect(let problem):
                "cannot connect to database '\(name)': \(problem)"
            case .failed(let problem, let sql):
                "database '\(name)': \(problem)\(sql.map { " (running \($0))" } ?? "")"
            case .cannotRead(let what, let problem):
                "database '\(name)': cannot read \(what)\(problem.map { ": \($0)" } ?? "")"
            case .cannotLock(let problem):
                "database '\(name)': cannot take the migration lock: \(problem)"
            case .cannotRepair(let table, let problem):
                "database '\(name)': cannot repair \(table): \(problem)"
            }
        }
    }
}
