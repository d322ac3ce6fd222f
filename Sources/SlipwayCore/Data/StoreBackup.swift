import Foundation

/// One backup of Slipway's own store, as `backup.json` beside its copy describes it.
public struct StoreBackup: Codable, Sendable, Equatable {
    public var id: String
    public var created: Date
    /// The newest event in the copy: every event up to it, none after.
    public var events: Int64
    public var bytes: Int64
    /// The store file the copy was taken from.
    public var source: String
    public var slipwayVersion: String
    /// Why it exists when a person did not ask for it (the store a restore replaced).
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case id, created, events, bytes, source, note
        case slipwayVersion = "slipway_version"
    }
}
