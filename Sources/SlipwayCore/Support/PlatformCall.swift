import AsyncHTTPClient
import Foundation
import NIOCore

/// One call to a cloud platform's HTTP API (Cloudflare, Doppler, Neon) with the retries every
/// platform needs: a refused credential stops at once, naming its variable and never its value;
/// another 4xx stops at once; a 429 waits as `Retry-After` says; a 5xx, a timeout or an
/// unreachable API is tried again with `backoff` until `retryDeadline`, the waits on `clock`.
/// Before each retry, `reconcile` (when given) is asked whether the platform already did what
/// the failed call asked (an answer lost after the change was made), so a retry never acts twice.
public struct PlatformCall: Sendable {
    public var platform: SlipwayError.Reason.Platform
    /// The variable holding the credential, named when the platform refuses it.
    public var credential: String
    /// The API's address, named when it cannot be reached at all.
    public var host: String
    public var clock: any EngineClock
    /// Seconds one attempt may take, answer included.
    public var timeout: Double
    public var retryDeadline: Double
    public var backoff: RetryBackoff
    /// An answer larger than this is not one of the platform's.
    public var answerLimit: Int
    /// The platform's own error text in a failed answer's body, as one line.
    var failureText: @Sendable (Data) -> String?

    public init(
        platform: SlipwayError.Reason.Platform, credential: String, host: String, clock: any EngineClock, timeout: Double,
        retryDeadline: Double, backoff: RetryBackoff, answerLimit: Int, failureText: @escaping @Sendable (Data) -> String?
    ) {
        self.platform = platform
        self.credential = credential
        self.host = host
        self.clock = clock
        self.timeout = timeout
        self.retryDeadline = retryDeadline
        self.backoff = backoff
        self.answerLimit = answerLimit
        self.failureText = failureText
    }

    /// How a call ended well.
    public enum Outcome<Found> {
        /// The body of a 2xx answer.
        case answered(Data)
        /// Read back before a retry: the platform already has what the call asked for.
        case alreadyDone(Found)
        /// A 404, when the caller allowed it.
        case notFound
    }

    /// Sends `request`, which changes nothing a retry could find done, for `operation`.
    public func send(
        _ request: HTTPClientRequest, operation: String, allowNotFound: Bool = false, log: (@Sendable (String) -> Void)?
    ) async throws(SlipwayError) -> Outcome<Never> {
        let none: (@Sendable () async throws(SlipwayError) -> Never?)? = nil
        return try await send(request, operation: operation, allowNotFound: allowNotFound, log: log, reconcile: none)
    }

    /// Sends `request`, which asks for `operation` (as errors and log lines name it), retrying
    /// what may pass later and saying each retry through `log`.
    public func send<Found>(
        _ request: HTTPClientRequest, operation: String, allowNotFound: Bool = false, log: (@Sendable (String) -> Void)?,
        reconcile: (@Sendable () async throws(SlipwayError) -> Found?)?
    ) async throws(SlipwayError) -> Outcome<Found> {
        let subject = SlipwayError.Reason.PlatformProblem.subject(platform, operation)
        let deadline = clock.now().addingTimeInterval(retryDeadline)
        var attempt = 0
        while true {
            attempt += 1
            if attempt > 1, let reconcile, let found = try await reconcile() {
                log?("\(platform.rawValue) already has what \(operation) asked for: not sending it again")
                return .alreadyDone(found)
            }
            let problem: String
            var wait = backoff.delay(afterAttempt: attempt, random: .random(in: 0...1))
            do {
                // The timeout is for the whole exchange, so an answer that trickles in is cut off too.
                let response = try await HTTPClient.platform.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
                let data = Data(try await response.body.collect(upTo: answerLimit).readableBytesView)
                let status = Int(response.status.code)
                if (200..<300).contains(status) { return .answered(data) }
                if status == 404, allowNotFound { return .notFound }
                let reason = failureText(data) ?? "HTTP \(status)"
                if status == 401 || status == 403 {
                    throw SlipwayError(.platform(.credentialRefused(
                        platform, credential: credential, status: String(status), reason: reason, operation: operation)))
                }
                guard status == 429 || status >= 500 else {
                    throw SlipwayError(.platform(.refused(platform, operation: operation, status: status, message: reason)))
                }
                problem = "\(status) \(reason)"
                if status == 429, let asked = RetryBackoff.retryAfter(response.headers.first(name: "Retry-After"), now: clock.now()) {
                    wait = asked
                }
            } catch let error as SlipwayError {
                throw error
            } catch {
                problem = ConnectionProblem.text(
                    error, host: URL(string: host)?.host ?? host, waited: timeout, connectWithin: HTTPClient.Configuration.platformConnectTimeout)
            }
            guard clock.now().addingTimeInterval(wait) <= deadline else {
                if attempt == 1 {
                    throw SlipwayError(.platform(.unreachable(platform, operation: operation, host: host, problem: problem)))
                }
                throw SlipwayError(.platform(.stillFailing(platform, operation: operation, attempts: attempt, within: retryDeadline, last: problem)))
            }
            log?("\(subject): \(problem); retrying in \(String(format: "%.1f", wait))s (attempt \(attempt))")
            do {
                try await clock.sleep(seconds: wait)
            } catch {
                throw SlipwayError(.cancelled("while waiting to retry \(subject)"))
            }
        }
    }
}
