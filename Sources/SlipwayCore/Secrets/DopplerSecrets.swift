import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Reads a Doppler config's secrets through its API, as `doppler secrets download` does:
/// `GET /v3/configs/config/secrets/download?project=&config=&format=json` with the token as a
/// bearer credential, answered with a JSON object of names and values. The token and the API's
/// address come from the Doppler CLI's own variables, `DOPPLER_TOKEN` and `DOPPLER_API_HOST`.
public struct DopplerSecrets: Sendable {
    public static let tokenVariable = SecretsSource.dopplerTokenVariable
    public static let hostVariable = "DOPPLER_API_HOST"
    public static let defaultHost = "https://api.doppler.com"
    /// An answer larger than this is not a config's secrets.
    static let answerLimit = 4 << 20

    public var host: String
    public var token: String?
    public var timeout: TimeInterval = 15
    /// How long a 429, a 5xx or an unreachable API is tried again before the run is refused.
    public var retryDeadline: TimeInterval = 30
    public var backoff = RetryBackoff(base: 0.5, cap: 8)

    public init(environment: [String: String]) {
        host = environment[Self.hostVariable].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultHost
        token = environment[Self.tokenVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The secrets of `config` in `project`; any failure is one line saying what to fix, and
    /// nothing has been deployed when it is thrown. A 429, a 5xx or an unreachable API is tried
    /// again with backoff on `clock` until `retryDeadline`, each retry said through `log`.
    public func secrets(
        project: String, config: String, clock: any EngineClock = SystemClock(), log: (@Sendable (String) -> Void)? = nil
    ) async throws(SlipwayError) -> [String: String] {
        let what = "Doppler project \(project), config \(config)"
        guard let token else {
            throw SlipwayError(.platform(.credentialMissing(.doppler, variable: Self.tokenVariable, operation: what)))
        }
        var components = URLComponents(string: host.hasSuffix("/") ? String(host.dropLast()) : host)
        components?.path += "/v3/configs/config/secrets/download"
        components?.queryItems = [.init(name: "project", value: project), .init(name: "config", value: config), .init(name: "format", value: "json")]
        guard let url = components?.url else { throw SlipwayError(.platform(.notAURL(variable: Self.hostVariable, value: host, path: nil))) }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        let call = PlatformCall(
            platform: .doppler, credential: Self.tokenVariable, host: host, clock: clock, timeout: timeout,
            retryDeadline: retryDeadline, backoff: backoff, answerLimit: Self.answerLimit, failureText: Self.messages(in:))
        guard case .answered(let data) = try await call.send(request, operation: what, log: log),
              let secrets = try? JSONDecoder().decode([String: String].self, from: data) else {
            throw SlipwayError(.platform(.unreadableAnswer(.doppler, operation: what, problem: nil)))
        }
        return secrets
    }

    /// Doppler's error body, `{"messages": [...], "success": false}`, as one line.
    static func messages(in data: Data) -> String? {
        struct Failure: Decodable { var messages: [String] }
        guard let failure = try? JSONDecoder().decode(Failure.self, from: data), !failure.messages.isEmpty else { return nil }
        return failure.messages.joined(separator: "; ")
    }
}
