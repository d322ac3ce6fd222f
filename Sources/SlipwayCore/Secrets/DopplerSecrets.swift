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

    public init(environment: [String: String]) {
        host = environment[Self.hostVariable].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultHost
        token = environment[Self.tokenVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The secrets of `config` in `project`; any failure is one line saying what to fix, and
    /// nothing has been deployed when it is thrown.
    public func secrets(project: String, config: String) async throws(SlipwayError) -> [String: String] {
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
        let status: Int
        let data: Data
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            status = Int(response.status.code)
            data = Data(try await response.body.collect(upTo: Self.answerLimit).readableBytesView)
        } catch {
            throw SlipwayError(.platform(.unreachable(.doppler, operation: what, host: host, problem: "\(error)")))
        }
        guard (200..<300).contains(status) else {
            let reason = Self.messages(in: data) ?? "HTTP \(status)"
            if status == 401 || status == 403 {
                throw SlipwayError(.platform(.credentialRefused(
                    .doppler, credential: Self.tokenVariable, status: String(status), reason: reason, operation: what)))
            }
            throw SlipwayError(.platform(.refused(.doppler, operation: what, status: status, message: reason)))
        }
        guard let secrets = try? JSONDecoder().decode([String: String].self, from: data) else {
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
