import Foundation

/// What Neon's API (v2) answers, as far as Slipway reads it (the field names are Neon's).
public enum NeonAnswer {
    struct ProjectAnswer: Decodable, Sendable {
        var project: Project
    }

    struct Project: Decodable, Sendable {
        var id: String
        /// How far back the project's history reaches: the point-in-time restore window.
        var historyRetentionSeconds: Int

        enum CodingKeys: String, CodingKey {
            case id
            case historyRetentionSeconds = "history_retention_seconds"
        }
    }

    struct BranchesAnswer: Decodable, Sendable {
        var branches: [Branch]
    }

    /// Create branch and restore branch both answer the branch and the operations they started.
    struct BranchAnswer: Decodable, Sendable {
        var branch: Branch
        var operations: [Operation]?
        var endpoints: [Endpoint]?
    }

    public struct Branch: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var parentID: String?
        public var parentTimestamp: String?
        public var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, name
            case parentID = "parent_id"
            case parentTimestamp = "parent_timestamp"
            case createdAt = "created_at"
        }
    }

    struct Endpoint: Decodable, Sendable {
        var id: String
        var host: String
    }

    struct OperationAnswer: Decodable, Sendable {
        var operation: Operation
    }

    struct Operation: Decodable, Sendable {
        var id: String
        var action: String
        var status: String
    }

    /// Neon's error body: `{"code": "...", "message": "..."}`.
    struct Failure: Decodable {
        var message: String
    }

    /// Neon's timestamps: RFC 3339, with or without fractions of a second.
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
