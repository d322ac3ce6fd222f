import Foundation

/// The Doppler API stand-in (`Tests/Standins/doppler/standin.py`; not Doppler: the real API
/// cannot be reached from tests), seeded with configs' secrets, for one test.
public final class DopplerStandin: @unchecked Sendable {
    public let token = "dp.st.standin-\(UUID().uuidString.prefix(8))"
    private let server: StandinProcess

    /// `configs` by `project/config`, each its secrets.
    public init(configs: [String: [String: String]]) throws {
        var arguments = ["--token", token]
        for (key, secrets) in configs.sorted(by: { $0.key < $1.key }) {
            let json = String(decoding: try JSONSerialization.data(withJSONObject: secrets, options: [.sortedKeys]), as: UTF8.self)
            arguments += ["--config", "\(key)=\(json)"]
        }
        server = try StandinProcess("doppler", arguments: arguments)
    }

    public func stop() { server.stop() }

    /// What Slipway needs to call this stand-in, as the Doppler CLI's variables.
    public var environment: [String: String] {
        ["DOPPLER_TOKEN": token, "DOPPLER_API_HOST": "http://127.0.0.1:\(server.port)"]
    }

    /// Makes the next `count` downloads answer `status`.
    public func fault(status: Int, count: Int) throws {
        _ = try server.control("POST", "fault", ["status": status, "count": count])
    }

    /// The calls it received: method, path, query.
    public func log() throws -> [[String: Any]] {
        try server.control("GET", "log", nil) as? [[String: Any]] ?? []
    }
}
