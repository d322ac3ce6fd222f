import Foundation

/// The Neon API stand-in (`Tests/Standins/neon/standin.py`; not Neon: the real API cannot be
/// reached from tests), seeded with one project and its branches, for one test.
public final class NeonStandin: @unchecked Sendable {
    public let key = "neon-standin-\(UUID().uuidString.prefix(8))"
    public let project: String
    private let server: StandinProcess

    /// A project `project` keeping `retention` seconds of history, with a root branch named
    /// `branch` (ID `br-<branch>-1`) created `branchAge` seconds ago.
    public init(project: String = "shy-sun-123456", retention: Int = 7 * 86400, branch: String = "main", branchAge: Double = 30 * 86400) throws {
        self.project = project
        let created = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-branchAge))
        let seed: [String: Any] = [
            "projects": [["id": project, "history_retention_seconds": retention]],
            "branches": [["project_id": project, "id": "br-\(branch)-1", "name": branch, "created_at": created]],
        ]
        let json = String(decoding: try JSONSerialization.data(withJSONObject: seed, options: [.sortedKeys]), as: UTF8.self)
        server = try StandinProcess("neon", arguments: ["--key", key, "--seed", json])
    }

    public func stop() { server.stop() }

    /// What Slipway needs to call this stand-in, as neonctl's variables.
    public var environment: [String: String] {
        ["NEON_API_KEY": key, "NEON_API_HOST": "http://127.0.0.1:\(server.port)/api/v2"]
    }

    /// Makes the next `count` API calls (of `method`, when given) answer `status`; with `lost`,
    /// each is done first and only its answer is lost.
    public func fault(status: Int, count: Int, method: String? = nil, lost: Bool = false) throws {
        var body: [String: Any] = ["status": status, "count": count, "lost": lost]
        if let method { body["method"] = method }
        _ = try server.control("POST", "fault", body)
    }

    /// Its branches as it keeps them (id, name, parent_id, parent_timestamp, restored_from, ...).
    public func branches() throws -> [[String: Any]] {
        (try server.control("GET", "state", nil) as? [String: Any])?["branches"] as? [[String: Any]] ?? []
    }

    /// The calls it received: method, path, body.
    public func log() throws -> [[String: Any]] {
        try server.control("GET", "log", nil) as? [[String: Any]] ?? []
    }
}
