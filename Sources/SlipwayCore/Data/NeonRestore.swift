import Foundation

/// A point-in-time restore of a Neon database: into a new branch from the moment (the default),
/// or the branch itself restored in place with its state before kept under another name.
public struct NeonRestore: Codable, Sendable, Equatable {
    public enum Mode: String, Codable, Sendable {
        case newBranch = "new-branch"
        case inPlace = "in-place"
    }

    public var mode: Mode
    public var project: String
    /// The moment asked for.
    public var target: Date
    /// The branch that now holds the database as it was at `target`.
    public var branchID: String
    public var branchName: String
    /// In place: the branch that keeps the state before the restore.
    public var preservedID: String?
    public var preservedName: String?
    /// A new branch's read-write compute, when Neon started one.
    public var host: String?

    enum CodingKeys: String, CodingKey {
        case mode, project, target, host
        case branchID = "branch_id"
        case branchName = "branch_name"
        case preservedID = "preserved_id"
        case preservedName = "preserved_name"
    }
}
