/// What `slipway backup setup` found and changed on a server.
public struct ArchivingSetup: Codable, Sendable, Equatable {
    public struct Change: Codable, Sendable, Equatable {
        public var setting: String
        public var from: String
        public var to: String
    }

    public var changes: [Change]
    /// The folder `archive_command` copies WAL into.
    public var walFolder: String
    /// The OS user the server runs as, which writes the archive.
    public var serverUser: String
    /// Folders given search permission (o+x) so the server's user reaches the archive.
    public var opened: [String]
    /// `wal_level` and `archive_mode` take effect only when the server restarts.
    public var restartNeeded: Bool

    enum CodingKeys: String, CodingKey {
        case changes, opened
        case walFolder = "wal_folder"
        case serverUser = "server_user"
        case restartNeeded = "restart_needed"
    }
}
