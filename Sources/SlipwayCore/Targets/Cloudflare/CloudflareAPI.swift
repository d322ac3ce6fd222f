import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Cloudflare's HTTP API (v4) as the Cloudflare targets call it: the token, account and base URL
/// from the environment of whoever asked, as wrangler reads them (`CLOUDFLARE_API_TOKEN`,
/// `CLOUDFLARE_ACCOUNT_ID`, `CLOUDFLARE_API_BASE_URL`); answers in the `{success, errors,
/// messages, result}` envelope. A refused token stops at once, naming the variable and never its
/// value; 429 waits as `Retry-After` says; 5xx and timeouts are retried with backoff and jitter
/// until `retryDeadline`, on the engine's clock.
public struct CloudflareAPI: Sendable {
    public static let defaultBaseURL = "https://api.cloudflare.com/client/v4"
    public static let tokenVariable = "CLOUDFLARE_API_TOKEN"

    public var baseURL: String
    public var accountID: String?
    var token: String?
    var clock: any EngineClock
    var requestTimeout: Double
    var retryDeadline: Double
    var backoff = RetryBackoff()
    /// Cloudflare's answers are small JSON; anything far larger is not one of them.
    static let answerLimit = 16 * 1024 * 1024

    public init(settings: CloudflareSettings, environment: [String: String], clock: any EngineClock) {
        let variables = environment.isEmpty ? ProcessInfo.processInfo.environment : environment
        let base = variables["CLOUDFLARE_API_BASE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultBaseURL
        baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        accountID = settings.accountID ?? variables["CLOUDFLARE_ACCOUNT_ID"].flatMap { $0.isEmpty ? nil : $0 }
        token = variables[Self.tokenVariable].flatMap { $0.isEmpty ? nil : $0 }
        self.clock = clock
        requestTimeout = settings.requestTimeout
        retryDeadline = settings.retryDeadline
    }

    /// What a call sends.
    public enum Body: Sendable {
        case json(Data)
        case multipart(Data, boundary: String)
    }

    /// The account every Workers path names; refused before any call when unknown.
    func account() throws(SlipwayError) -> String {
        guard let accountID else {
            throw SlipwayError(.platform(.noCloudflareAccount))
        }
        return accountID
    }

    /// Calls `method path` and decodes the envelope's `result`. `reconcile`, when given, is asked
    /// before each retry whether the platform already did what the failed call asked (an answer
    /// lost after the change was made), so a retry never acts twice.
    public func call<Result: Decodable & Sendable>(
        _ method: String, _ path: String, query: [URLQueryItem] = [], body: Body? = nil, as type: Result.Type,
        log: StageLog? = nil, reconcile: (@Sendable () async throws(SlipwayError) -> Result?)? = nil
    ) async throws(SlipwayError) -> Result {
        guard let result = try await call(method, path, query: query, body: body, as: type, log: log, reconcile: reconcile, allowNotFound: false) else {
            throw SlipwayError(.platform(.unreadableAnswer(.cloudflare, operation: "\(method) \(path)", problem: nil)))
        }
        return result
    }

    /// A `GET` whose object may not exist yet: nil on a 404.
    public func find<Result: Decodable & Sendable>(
        _ path: String, query: [URLQueryItem] = [], as type: Result.Type, log: StageLog? = nil
    ) async throws(SlipwayError) -> Result? {
        try await call("GET", path, query: query, body: nil, as: type, log: log, reconcile: nil, allowNotFound: true)
    }

    private func call<Result: Decodable & Sendable>(
        _ method: String, _ path: String, query: [URLQueryItem], body: Body?, as type: Result.Type,
        log: StageLog?, reconcile: (@Sendable () async throws(SlipwayError) -> Result?)?, allowNotFound: Bool
    ) async throws(SlipwayError) -> Result? {
        let data: Data
        switch try await send(method, path, query: query, body: body, log: log, reconcile: reconcile, allowNotFound: allowNotFound) {
        case .answered(let answer):
            data = answer
        case .alreadyDone(let found):
            return found
        case .notFound:
            return nil
        }
        let envelope: CloudflareAnswer.Envelope<Result>
        do {
            envelope = try JSONDecoder().decode(CloudflareAnswer.Envelope<Result>.self, from: data)
        } catch {
            throw SlipwayError(.platform(.unreadableAnswer(.cloudflare, operation: "\(method) \(path)", problem: "\(error)")))
        }
        // Some calls answer success with a null result: what `Ignored` stands for.
        guard envelope.success, let result = envelope.result ?? (CloudflareAnswer.Ignored() as? Result) else {
            throw SlipwayError(.platform(.refused(.cloudflare, operation: "\(method) \(path)", status: nil, message: envelope.errorText)))
        }
        return result
    }

    /// A GraphQL Analytics query (`POST /graphql`); its answer's `data`.
    public func graphQL<Answer: Decodable & Sendable>(
        _ query: String, variables: [String: String], as type: Answer.Type, log: StageLog? = nil
    ) async throws(SlipwayError) -> Answer {
        let payload: Data
        do {
            payload = try JSONSerialization.data(withJSONObject: ["query": query, "variables": variables], options: [.sortedKeys])
        } catch {
            throw .failure("cannot write a GraphQL query: \(error.localizedDescription)")
        }
        let none: (@Sendable () async throws(SlipwayError) -> CloudflareAnswer.Ignored?)? = nil
        guard case .answered(let data) = try await send(
            "POST", "/graphql", query: [], body: .json(payload), log: log, reconcile: none, allowNotFound: false
        ) else {
            throw .failure("Cloudflare's GraphQL Analytics answered nothing")
        }
        let answer: CloudflareAnswer.GraphQLAnswer<Answer>
        do {
            answer = try JSONDecoder().decode(CloudflareAnswer.GraphQLAnswer<Answer>.self, from: data)
        } catch {
            throw .failure("Cloudflare's GraphQL Analytics answered what Slipway cannot read: \(error)")
        }
        if let errors = answer.errors, !errors.isEmpty {
            throw .failure("Cloudflare's GraphQL Analytics refused the query: \(errors.map(\.message).joined(separator: "; "))")
        }
        guard let result = answer.data else { throw .failure("Cloudflare's GraphQL Analytics answered no data") }
        return result
    }

    /// Sends the call through `PlatformCall`, retrying what may pass later.
    private func send<Found>(
        _ method: String, _ path: String, query: [URLQueryItem], body: Body?, log: StageLog?,
        reconcile: (@Sendable () async throws(SlipwayError) -> Found?)?, allowNotFound: Bool
    ) async throws(SlipwayError) -> PlatformCall.Outcome<Found> {
        guard let token else {
            throw SlipwayError(.platform(.credentialMissing(.cloudflare, variable: Self.tokenVariable, operation: "\(method) \(path)")))
        }
        guard var components = URLComponents(string: baseURL + path) else {
            throw SlipwayError(.platform(.notAURL(variable: "CLOUDFLARE_API_BASE_URL", value: baseURL, path: path)))
        }
        if !query.isEmpty { components.queryItems = query }
        guard let url = components.url else {
            throw SlipwayError(.platform(.notAURL(variable: "CLOUDFLARE_API_BASE_URL", value: baseURL, path: path)))
        }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        switch body {
        case .json(let data):
            request.body = .bytes(ByteBuffer(bytes: data))
            request.headers.add(name: "Content-Type", value: "application/json")
        case .multipart(let data, let boundary):
            request.body = .bytes(ByteBuffer(bytes: data))
            request.headers.add(name: "Content-Type", value: "multipart/form-data; boundary=\(boundary)")
        case nil:
            break
        }
        let call = PlatformCall(
            platform: .cloudflare, credential: Self.tokenVariable, host: baseURL, clock: clock, timeout: requestTimeout,
            retryDeadline: retryDeadline, backoff: backoff, answerLimit: Self.answerLimit, failureText: Self.errorText(in:))
        var write: (@Sendable (String) -> Void)?
        if let log { write = { line in log(line) } }
        return try await call.send(request, operation: "\(method) \(path)", allowNotFound: allowNotFound, log: write, reconcile: reconcile)
    }

    /// The envelope's `errors`, as one line.
    static func errorText(in data: Data) -> String? {
        guard let envelope = try? JSONDecoder().decode(CloudflareAnswer.Envelope<CloudflareAnswer.Ignored>.self, from: data),
              !envelope.errors.isEmpty else { return nil }
        return envelope.errorText
    }
}
