extension SlipwayError.Reason {
    /// A database missing from, or wrong in, the configuration and environment variables; `of`
    /// names whose connection string it is (`database 'app' (APP_DATABASE_URL)`).
    public enum DatabaseSetupProblem: Sendable, Equatable {
        /// The component (named `component`, at `path`) has no `database:` setting.
        case notDeclared(component: String, path: String)
        case environmentNamesNone(environment: String)
        /// The environment names `database`, which `databases:` lacks.
        case notInDatabases(database: String, environment: String)
        /// The variable that holds the connection string is not set.
        case variableUnset(variable: String, database: String, environment: String)
        case connectionStringUnset(of: String)
        /// A Neon database with no `url_env`, asked for its connection string.
        case noURLVariable(database: String)
        /// A command only a local PostgreSQL server supports, asked of a Neon database (`why` says what to do instead).
        case notWithNeon(command: String, of: String, why: String)
        case notAPostgresURL(of: String)
        case noHost(of: String)
        case unknownSSLMode(String, of: String)
        case cannotSetUpTLS(problem: String)
        /// Backup setup logs in as a role that is not a superuser.
        case superuserNeeded(of: String)
        /// The server keeps its data in `dataFolder`, not on this machine.
        case serverElsewhere(of: String, dataFolder: String)
        /// The WAL folder's path has a quote, which archive_command cannot hold.
        case quoteInWALPath(String)
        /// Production needs staging's history, and staging's database cannot be reached.
        case stagingUnreachable(problem: String)

        var category: SlipwayError.Category {
            switch self {
            case .cannotSetUpTLS, .superuserNeeded, .serverElsewhere: .failure
            default: .usage
            }
        }

        var line: String {
            switch self {
            case .notDeclared(let component, let path):
                "\(component) declares no database: add `database: {migrations: migrations/}` to \(path)/slipway.yml"
            case .environmentNamesNone(let environment):
                "environment '\(environment)' names no database: add `database: NAME` to it in slipway.yml"
            case .notInDatabases(let database, let environment):
                "database '\(database)' of environment '\(environment)' is not in slipway.yml's databases: (add it with url_env: VARIABLE)"
            case .variableUnset(let variable, let database, let environment):
                "\(variable) is not set: it holds the connection string of database '\(database)' (environment \(environment))"
            case .noURLVariable(let database):
                "database '\(database)' has no url_env: add url_env: VARIABLE naming the variable that holds its connection string"
            case .notWithNeon(let command, let of, let why):
                "\(command) is for a PostgreSQL server Slipway archives; \(of) is a Neon branch: \(why)"
            case .connectionStringUnset(let of):
                "the connection string of \(of) is not set"
            case .notAPostgresURL(let of):
                "the connection string of \(of) is not a postgres:// URL"
            case .noHost(let of):
                "the connection string of \(of) names no host (for a unix socket, give its folder as ?host=/path)"
            case .unknownSSLMode(let mode, let of):
                "the connection string of \(of) has an unknown sslmode '\(mode)' (known: disable, allow, prefer, require, verify-ca, verify-full)"
            case .cannotSetUpTLS(let problem):
                "cannot set up TLS: \(problem)"
            case .superuserNeeded(let of):
                "backup setup needs a superuser (ALTER SYSTEM): the connection string of \(of) logs in as another role"
            case .serverElsewhere(let of, let dataFolder):
                "the server of \(of) keeps its data in \(dataFolder), which is not on this machine: "
                    + "its archive_command copies WAL into a local folder, so run backup setup on the server's host"
            case .quoteInWALPath(let path):
                "the WAL folder \(path) has a quote in its path: set backup_folder to another"
            case .stagingUnreachable(let problem):
                "production applies only migrations validated in staging, and staging's database cannot be reached: \(problem)"
            }
        }
    }
}
