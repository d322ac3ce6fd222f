import Foundation
import GRDB

/// The agent's latest reading of one cloud component's live traffic from its platform (the
/// listener's weights and CloudWatch, a Worker's deployment and its analytics): the split, the
/// versions and each share's figures over one window, or the one line saying why there are none.
/// Replaced on every reading, as a live probe is.
public struct PlatformReading: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "platform_readings"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        StoredMoment.encodingStrategy
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        StoredMoment.decodingStrategy
    }

    public var component: String
    public var environment: String
    public var readAt: Date
    /// Where the figures come from, as the screen labels them: `CloudWatch`, `Workers analytics`.
    public var source: String
    /// The window the figures cover.
    public var windowStart: Date
    public var windowEnd: Date
    public var shares: [PlatformShare]
    /// What the operator should know about the figures (Pages has none per colour).
    public var note: String?
    /// Why the platform gave nothing this time (unreachable, refused credentials), one line.
    public var problem: String?

    public init(
        component: String, environment: String, readAt: Date, source: String, windowStart: Date, windowEnd: Date,
        shares: [PlatformShare], note: String? = nil, problem: String? = nil
    ) {
        self.component = component
        self.environment = environment
        self.readAt = readAt
        self.source = source
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.shares = shares
        self.note = note
        self.problem = problem
    }

    /// The share of `name` (a colour or a version tag).
    public func share(_ name: String) -> PlatformShare? {
        shares.first { $0.name == name }
    }

    enum CodingKeys: String, CodingKey {
        case component, environment, readAt = "read_at", source, windowStart = "window_start", windowEnd = "window_end"
        case shares, note, problem
    }
}

extension SQLiteStore {
    /// Records a reading (replacing the one before).
    public func save(_ reading: PlatformReading) throws(SlipwayError) {
        do {
            try pool.write { db in try reading.save(db) }
        } catch {
            throw failure(error)
        }
    }

    public func platformReadings() throws(SlipwayError) -> [PlatformReading] {
        do {
            return try pool.read { db in try PlatformReading.fetchAll(db, orderedBy: "component, environment") }
        } catch {
            throw failure(error)
        }
    }
}
