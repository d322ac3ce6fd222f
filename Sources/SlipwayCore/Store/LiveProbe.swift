import Foundation
import GRDB

/// An agent's latest probe of one live release on its host.
public struct LiveProbe: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "live_health"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        StoredMoment.encodingStrategy
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        StoredMoment.decodingStrategy
    }

    public var component: String
    public var environment: String
    public var checkedAt: Date
    public var healthy: Bool
    /// The host whose agent probed its own router's route (`ProcessIdentity.hostName`).
    public var host: String

    public init(component: String, environment: String, checkedAt: Date, healthy: Bool, host: String = ProcessIdentity.hostName) {
        self.component = component
        self.environment = environment
        self.checkedAt = checkedAt
        self.healthy = healthy
        self.host = host
    }

    enum CodingKeys: String, CodingKey {
        case component, environment, checkedAt = "checked_at", healthy, host
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

    public func liveProbes(on hosts: HostScope) throws(SlipwayError) -> [LiveProbe] {
        do {
            return try pool.read { db in try LiveProbe.fetchAll(db, on: hosts, orderedBy: "host, component, environment") }
        } catch {
            throw failure(error)
        }
    }
}
