import Foundation
import GRDB

/// The agent's latest probe of one live release.
public struct LiveProbe: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "live_health"

    public var component: String
    public var environment: String
    public var checkedAt: Date
    public var healthy: Bool

    public init(component: String, environment: String, checkedAt: Date, healthy: Bool) {
        self.component = component
        self.environment = environment
        self.checkedAt = checkedAt
        self.healthy = healthy
    }

    enum CodingKeys: String, CodingKey {
        case component, environment, checkedAt = "checked_at", healthy
    }
}

extension SQLiteStore {
    /// Records a probe (replacing the one before).
    public func save(_ probe: LiveProbe) throws(SlipwayError) {
        do {
            try pool.write { db in try probe.save(db) }
        } catch {
            throw failure(error)
        }
    }

    public func liveProbes() throws(SlipwayError) -> [LiveProbe] {
        do {
            return try pool.read { db in try LiveProbe.fetchAll(db) }
        } catch {
            throw failure(error)
        }
    }
}
