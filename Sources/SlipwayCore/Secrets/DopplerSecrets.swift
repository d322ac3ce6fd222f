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
            throw .failure("\(Self.tokenVariable) is not set: the secrets come from \(what); nothing was deployed")
        }
        var components = URLComponents(string: host.hasSuffix("/") ? String(host.dropLast()) : host)
        components?.path += "/v3/configs/config/secrets/download"
        components?.queryItems = [.init(name: "project", value: project), .init(name: "config", value: config), .init(name: "format", value: "json")]
        guard let url = components?.url else { throw .usage("\(Self.hostVariable) \(host) is not a URL") }
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
            throw .failure("cannot read the secrets of \(what) from \(host): \(error); nothing was deployed")
        }
        guard (200..<300).contains(status) else {
            let reason = Self.messages(in: data) ?? "HTTP \(status)"
            if status == 401 || status == 403 {
                throw .failure("Doppler refused \(Self.tokenVariable) (\(status): \(reason)) for \(what); nothing was deployed")
            }
            throw .failure("Doppler answered \(status) for \(what): \(reason); nothing was deployed")
        }
        guard let secrets = try? JSONDecoder().decode([String: String].self, from: data) else {
            throw .failure("Doppler's answer for \(what) is not a JSON object of secrets")
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
