import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Cloudflare API stand-in (`Tests/Standins/cloudflare/standin.py`; not Cloudflare: the real
/// API cannot be reached from tests), a `StandinProcess` for one test. Its `/__standin/` hooks
/// seed zones, inject faults, drive traffic and read its state back.
public final class CloudflareStandin: @unchecked Sendable {
    public let token = "standin-token-\(UUID().uuidString.prefix(8))"
    public static let account = "0123456789abcdef0123456789abcdef"
    private let server: StandinProcess
    public var port: Int { server.port }

    public init() throws {
        server = try StandinProcess("cloudflare", arguments: ["--token", token, "--account", Self.account])
    }

    /// Stops the stand-in and waits for it to exit.
    public func stop() { server.stop() }

    public var baseURL: String { "http://127.0.0.1:\(port)/client/v4" }

    /// What Slipway needs to call this stand-in, as wrangler's variables.
    public var environment: [String: String] {
        ["CLOUDFLARE_API_TOKEN": token, "CLOUDFLARE_ACCOUNT_ID": Self.account, "CLOUDFLARE_API_BASE_URL": baseURL]
    }

    /// Answers the next `count` calls whose path contains `path` (and method, when given) with
    /// `status` (`retryAfter` for a 429), after `hang` seconds; `apply` makes the change first
    /// and loses the answer.
    public func fault(
        _ method: String? = nil, path: String, status: Int? = nil, count: Int = 1, retryAfter: Int? = nil, hang: Double? = nil,
        apply: Bool = false
    ) throws {
        var fault: [String: Any] = ["path": path, "count": count, "apply": apply]
        if let method { fault["method"] = method }
        if let status { fault["status"] = status }
        if let retryAfter { fault["retry_after"] = retryAfter }
        if let hang { fault["hang"] = hang }
        _ = try control("POST", "faults", fault)
    }

    /// Forgets every fault not yet used.
    public func clearFaults() throws {
        _ = try control("POST", "faults/clear", [:] as [String: Any])
    }

    /// A zone with records (`name`, `type`, `content`, `ttl`); returns its id.
    @discardableResult
    public func zone(_ name: String, records: [[String: Any]]) throws -> String {
        (try control("POST", "zones", ["name": name, "records": records]) as? [String: Any])?["id"] as? String ?? ""
    }

    /// Simulated requests to `script`, `rate` per second split as its newest deployment says;
    /// `profiles` per version tag: `error_percent`, `wall_time_us`.
    public func traffic(script: String, rate: Int, profiles: [String: [String: Any]]) throws {
        _ = try control("POST", "traffic", ["script": script, "rate": rate, "profiles": profiles])
    }

    /// One row of invocation analytics for `script`'s version tagged `tag`, `secondsAgo` before now.
    public func invocations(
        script: String, tag: String, secondsAgo: Double, requests: Int, errors: Int, wallTimeMicroseconds: Int
    ) throws {
        _ = try control("POST", "invocations", [
            "script": script, "tag": tag, "seconds_ago": secondsAgo, "requests": requests, "errors": errors,
            "wall_time_us": wallTimeMicroseconds,
        ] as [String: Any])
    }

    /// Calls the stand-in's Cloudflare API itself with its token, as an operator's dashboard or
    /// wrangler would behind Slipway's back; the envelope's `result`.
    @discardableResult
    public func callAPI(_ method: String, _ path: String) throws -> Any? {
        var request = URLRequest(url: URL(string: baseURL + path)!, timeoutInterval: 30)
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        let data = try Result<Data, any Error>.waiting(for: request).get()
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["result"]
    }

    /// A Pages project with no deployment yet (Slipway deploys to a project, it does not make one).
    public func pagesProject(_ name: String, productionBranch: String = "main") throws {
        _ = try control("POST", "pages/projects", ["name": name, "production_branch": productionBranch])
    }

    /// A Pages project's deployments (oldest first, each with its `files`) and the id of the one
    /// serving production (`canonical`), as the stand-in keeps them.
    public func pages(_ project: String) throws -> (deployments: [[String: Any]], production: String?) {
        let projects = try state()["pages"] as? [String: Any] ?? [:]
        let found = projects["\(Self.account)/\(project)"] as? [String: Any] ?? [:]
        return (found["deployments"] as? [[String: Any]] ?? [], found["canonical"] as? String)
    }

    /// The key (hash) of every asset uploaded to Pages' asset store, in order.
    public func uploadedAssets() throws -> [String] {
        try state()["uploaded"] as? [String] ?? []
    }

    /// Where the stand-in serves a Pages project's production deployment, as `<project>.pages.dev` would.
    public func pagesProductionURL(_ project: String) -> String {
        "http://127.0.0.1:\(port)/__standin/pages/\(project)/production"
    }

    /// The stand-in's scripts (versions, deployments), Pages projects and zones.
    public func state() throws -> [String: Any] {
        try control("GET", "state", nil) as? [String: Any] ?? [:]
    }

    /// Every call Slipway made: method, path, time (seconds since 1970), status answered.
    public func log() throws -> [[String: Any]] {
        try control("GET", "log", nil) as? [[String: Any]] ?? []
    }

    /// A Worker's versions (oldest first) and deployments (oldest first).
    public func worker(_ name: String) throws -> (versions: [[String: Any]], deployments: [[String: Any]]) {
        let scripts = try state()["scripts"] as? [String: Any] ?? [:]
        let found = scripts["\(Self.account)/\(name)"] as? [String: Any] ?? [:]
        return (found["versions"] as? [[String: Any]] ?? [], found["deployments"] as? [[String: Any]] ?? [])
    }

    /// The newest deployment's split as `[version tag: percentage]`.
    public func split(_ name: String) throws -> [String: Double] {
        let (versions, deployments) = try worker(name)
        var tags: [String: String] = [:]
        for version in versions {
            tags[version["id"] as? String ?? ""] = (version["annotations"] as? [String: Any])?["workers/tag"] as? String ?? "?"
        }
        var split: [String: Double] = [:]
        for share in (deployments.last?["versions"] as? [[String: Any]]) ?? [] {
            split[tags[share["version_id"] as? String ?? ""] ?? "?"] = share["percentage"] as? Double ?? -1
        }
        return split
    }

    /// The content of every record of the stand-in's zones, by record name.
    public func records() throws -> [String: (content: String, ttl: Int)] {
        var found: [String: (content: String, ttl: Int)] = [:]
        for case let zone as [String: Any] in (try state()["zones"] as? [String: Any] ?? [:]).values {
            for case let record as [String: Any] in (zone["records"] as? [String: Any] ?? [:]).values {
                found[record["name"] as? String ?? ""] = (record["content"] as? String ?? "", record["ttl"] as? Int ?? 0)
            }
        }
        return found
    }

    private func control(_ method: String, _ hook: String, _ body: Any?) throws -> Any {
        try server.control(method, hook, body)
    }
}

extension Result where Success == Data, Failure == any Error {
    /// The body of `request`, waited for: the tests that drive the stand-in are synchronous.
    static func waiting(for request: URLRequest) -> Result<Data, any Error> {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, _, error in
            box.result = error.map { .failure($0) } ?? .success(data ?? Data())
            done.signal()
        }.resume()
        done.wait()
        return box.result
    }
}

private final class ResultBox: @unchecked Sendable {
    var result: Result<Data, any Error> = .success(Data())
}
