import Foundation

/// A point-in-time restore `slipway restore` made: a new cluster, recovered and promoted.
public struct DatabaseRestore: Codable, Sendable, Equatable {
    /// The base backup it started from.
    public var backup: String
    /// The moment asked for.
    public var target: Date
    /// True when the archive ended before the moment (no commit after it was archived): the
    /// cluster then holds everything archived, which is the database as it stood then.
    public var reachedArchiveEnd: Bool
    public var dataFolder: String
    public var port: Int
    /// The folder of its unix socket, when the data folder's path was short enough to hold one.
    public var socketFolder: String?
    /// Where it listens, without a password.
    public var url: String
    public var log: String

    enum CodingKeys: String, CodingKey {
        case backup, target, port, url, log
        case reachedArchiveEnd = "reached_archive_end"
        case dataFolder = "data_folder"
        case socketFolder = "socket_folder"
    }
}
