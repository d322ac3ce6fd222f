import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Neon's HTTP API (v2) as Slipway's Neon databases call it: the key from `NEON_API_KEY` as a
/// bearer credential, as neonctl reads it, and the base URL from `NEON_API_HOST` (neonctl's
/// `--api-host`, default `https://console.neon.tech/api/v2`). A refused key stops at once,
/// naming the variable and never its value; 429 waits as `Retry-After` says; 5xx, timeouts and
/// an unreachable API are retried with backoff and jitter until `retryDeadline`, on the engine's clock.
public struct NeonAPI: Sendable {
    public static let keyVariable = DatabaseProvider.neonKeyVariable
    public static let hostVariable = "NEON_API_HOST"
    public static let defaultHost = "https://console.neon.tech/api/v2"
    /// Neon's answers are small JSON; anything far larger is not one of them.
    static let answerLimit = 8 << 20

    public var host: String
    var key: String?
    var clock: any EngineClock
    var requestTimeout: Double = 30
    var retryDeadline: Double = 60
    var backoff = RetryBackoff(base: 0.5, cap: 8)
    var log: (@Sendable (String) -> Void)?

    init(environment: [String: String], clock: any EngineClock, log: (@Sendable (String) -> Void)?) {
        let base = environment[Self.hostVariable].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultHost
        host = base.hasSuffix("/") ? String(base.dropLast()) : base
        key = environment[Self.keyVariable].flatMap { $0.isEmpty ? nil : $0 }
        self.clock = clock
        self.log = log
    }

    /// Calls `method path` with `body` (a JSON object) and decodes the answer. `reconcile`, when
    /// given, is asked before each retry whether Neon already did what the failed call asked (an
    /// answer lost after the change was made), so a retry never creates or restores twice.
    func call<Answer: Decodable & Sendable>(
        _ method: String, _ path: String, body: [String: Any]? = nil, as type: Answer.Type,
        reconcile: (@Sendable () async throws(SlipwayError) -> Answer?)? = nil
    ) async throws(SlipwayError) -> Answer {
        let operation = "\(method) \(path)"
        guard let key else {
            throw SlipwayError(.platform(.credentialMissing(.neon, variable: Self.keyVariable, operation: operation)))
        }
        guard URL(string: host + path)?.host != nil else {
            throw SlipwayError(.platform(.notAURL(variable: Self.hostVariable, value: host, path: path)))
        }
        var request = HTTPClientRequest(url: host + path)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.headers.add(name: "Accept", value: "application/json")
        if let body {
            let data: Data
            do {
                data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            } catch {
                throw .failure("cannot write the body of Neon \(operation): \(error.localizedDescription)")
            }
            request.body = .bytes(ByteBuffer(bytes: data))
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let call = PlatformCall(
            platform: .neon, credential: Self.keyVariable, host: host, clock: clock, timeout: requestTimeout,
            retryDeadline: retryDeadline, backoff: backoff, answerLimit: Self.answerLimit,
            failureText: { (try? JSONDecoder().decode(NeonAnswer.Failure.self, from: $0))?.message })
        switch try await call.send(request, operation: operation, log: log, reconcile: reconcile) {
        case .alreadyDone(let found):
            return found
        case .answered(let data):
            do {
                return try JSONDecoder().decode(Answer.self, from: data)
            } catch {
                throw SlipwayError(.platform(.unreadableAnswer(.neon, operation: operation, problem: "\(error)")))
            }
        case .notFound:
            throw SlipwayError(.platform(.refused(.neon, operation: operation, status: 404, message: "HTTP 404")))
        }
    }
}
