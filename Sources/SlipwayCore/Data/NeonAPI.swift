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
        let deadline = clock.now().addingTimeInterval(retryDeadline)
        var attempt = 0
        while true {
            attempt += 1
            if attempt > 1, let reconcile, let found = try await reconcile() {
                log?("Neon already did what \(operation) asked for: not sending it again")
                return found
            }
            let problem: String
            var wait = backoff.delay(afterAttempt: attempt, random: .random(in: 0...1))
            do {
                let response = try await HTTPClient.platform.execute(request, timeout: .milliseconds(Int64(requestTimeout * 1000)))
                let status = Int(response.status.code)
                let data = Data(try await response.body.collect(upTo: Self.answerLimit).readableBytesView)
                if (200..<300).contains(status) {
                    do {
                        return try JSONDecoder().decode(Answer.self, from: data)
                    } catch {
                        throw SlipwayError(.platform(.unreadableAnswer(.neon, operation: operation, problem: "\(error)")))
                    }
                }
                let reason = (try? JSONDecoder().decode(NeonAnswer.Failure.self, from: data))?.message ?? "HTTP \(status)"
                if status == 401 || status == 403 {
                    throw SlipwayError(.platform(.credentialRefused(
                        .neon, credential: Self.keyVariable, status: String(status), reason: reason, operation: operation)))
                }
                guard status == 429 || status >= 500 else {
                    throw SlipwayError(.platform(.refused(.neon, operation: operation, status: status, message: reason)))
                }
                problem = "\(status) \(reason)"
                if status == 429, let asked = RetryBackoff.retryAfter(response.headers.first(name: "Retry-After"), now: clock.now()) {
                    wait = asked
                }
            } catch let error as SlipwayError {
                throw error
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
                problem = "no answer within \(DurationText.format(requestTimeout))"
            } catch {
                problem = "\(error)"
            }
            guard clock.now().addingTimeInterval(wait) <= deadline else {
                if attempt == 1 { throw SlipwayError(.platform(.unreachable(.neon, operation: operation, host: host, problem: problem))) }
                throw SlipwayError(.platform(.stillFailing(.neon, operation: operation, attempts: attempt, within: retryDeadline, last: problem)))
            }
            log?("Neon \(operation): \(problem); retrying in \(String(format: "%.1f", wait))s (attempt \(attempt))")
            do {
                try await clock.sleep(seconds: wait)
            } catch {
                throw SlipwayError(.cancelled("while waiting to retry Neon \(operation)"))
            }
        }
    }
}
