import SlipwayCore

/// What the header line says about where the console is looking and who is looking.
struct ConsoleHeader: Equatable, Sendable {
    var workspace: String
    /// Nil when detached or not in a git repository.
    var branch: String?
    var commit: String?
    var actor: String
    /// `up (pid N)` or `down`: whether the workspace's agent answers on its socket.
    var agent = "down"
    /// Component folders the workspace set aside (a bad name or configuration): said on every
    /// screen, since the fleet does not show them.
    var skipped: [String] = []
    /// The actor's role per environment (`roles:`); nil when everyone may do everything.
    var roles: [String: Role]?
}
