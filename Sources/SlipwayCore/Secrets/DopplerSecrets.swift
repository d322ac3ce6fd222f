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
        let deadline = clock.now().addingTimeInterval(retryDeadline)
        var attempt = 0
        while true {
            attempt += 1
            let problem: String
            var retryAfter: Double?
            do {
                let response = try await HTTPClient.platform.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
                let status = Int(response.status.code)
                let data = Data(try await response.body.collect(upTo: Self.answerLimit).readableBytesView)
                if (200..<300).contains(status) {
                    guard let secrets = try? JSONDecoder().decode([String: String].self, from: data) else {
                        throw SlipwayError(.platform(.unreadableAnswer(.doppler, operation: what, problem: nil)))
                    }
                    return secrets
                }
                let reason = Self.messages(in: data) ?? "HTTP \(status)"
                if status == 401 || status == 403 {
                    throw SlipwayError(.platform(.credentialRefused(
                        .doppler, credential: Self.tokenVariable, status: String(status), reason: reason, operation: what)))
                }
                guard status == 429 || status >= 500 else {
                    throw SlipwayError(.platform(.refused(.doppler, operation: what, status: status, message: reason)))
                }
                problem = "\(status): \(reason)"
                if status == 429 { retryAfter = RetryBackoff.retryAfter(response.headers.first(name: "Retry-After"), now: clock.now()) }
            } catch let error as SlipwayError {
                throw error
            } catch {
                problem = "\(error)"
            }
            let wait = retryAfter ?? backoff.delay(afterAttempt: attempt, random: .random(in: 0...1))
            guard clock.now().addingTimeInterval(wait) <= deadline else {
                if attempt == 1 { throw SlipwayError(.platform(.unreachable(.doppler, operation: what, host: host, problem: problem))) }
                throw SlipwayError(.platform(.stillFailing(.doppler, operation: what, attempts: attempt, within: retryDeadline, last: problem)))
            }
            log?("Doppler: \(problem) for \(what); retrying in \(String(format: "%.1f", wait))s (attempt \(attempt))")
            do {
                try await clock.sleep(seconds: wait)
            } catch {
                throw SlipwayError(.platform(.unreachable(.doppler, operation: what, host: host, problem: "cancelled while waiting to retry")))
            }
        }
    }

    /// Doppler's error body, `{"messages": [...], "success": false}`, as one line.
    static func messages(in data: Data) -> String? {
        struct Failure: Decodable { var messages: [String] }
        guard let failure = try? JSONDecoder().decode(Failure.self, from: data), !failure.messages.isEmpty else { return nil }
        return failure.messages.joined(separator: "; ")
    }
}
