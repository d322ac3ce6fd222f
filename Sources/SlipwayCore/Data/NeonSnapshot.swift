import Foundation

/// A backup of a Neon database: a child branch of its branch at the moment it was made, which
/// Neon keeps until it is deleted, beyond the project's history window.
public struct NeonSnapshot: Codable, Sendable, Equatable {
    public var project: String
    /// The snapshot branch's ID and name (`slipway-backup-<branch>-<time>`).
    public var branchID: String
    public var name: String
    /// The database's branch it was taken from.
    public var parentID: String
    public var time: Date

    enum CodingKeys: String, CodingKey {
        case project, name, time
        case branchID = "branch_id"
        case parentID = "parent_id"
    }
}
