import Foundation

/// Per-version counters read from the Workers analytics in one GraphQL query
/// (`workersInvocationsAdaptive`, grouped by `scriptVersion` and minute): each minute's requests
/// and errors, and its latency as one histogram bucket weighted by its requests, as
/// `CloudWatchCounts` does; summed from `since` for a canary, so two readings diff into one interval. Cloudflare publishes wall
/// time quantiles up to p99 (no p95; `duration` is billing GB-s): p99 stands in for both colours.
public struct WorkersAnalytics: Sendable {
    public var api: CloudflareAPI
    public var script: String
    public var since: Date

    static let query = """
        query SlipwayCanary($accountTag: string!, $scriptName: string!, $since: Time!, $until: Time!) {
          viewer {
            accounts(filter: {accountTag: $accountTag}) {
              workersInvocationsAdaptive(limit: 10000, filter: {scriptName: $scriptName, datetime_geq: $since, datetime_leq: $until}) {
                sum { requests errors }
                quantiles { wallTimeP99 }
                dimensions { scriptVersion datetimeMinute }
              }
            }
          }
        }
        """

    /// Each version's counts from `since` to `now`, keyed by version id.
    public func counts(versions: [String], now: Date, log: StageLog?) async throws(SlipwayError) -> [String: AgentResponse.ColorCounts] {
        try await countsByMinute(versions: versions, now: now, log: log).mapValues(PlatformMetrics.total(of:))
    }

    /// Each version's counts per minute (minutes since 1970) from `since` to `now`, keyed by version id.
    public func countsByMinute(
        versions: [String], now: Date, log: StageLog?
    ) async throws(SlipwayError) -> [String: [Int: AgentResponse.ColorCounts]] {
        let answer = try await api.graphQL(Self.query, variables: [
            "accountTag": try api.account(), "scriptName": script,
            "since": CloudWatchCounts.format(since), "until": CloudWatchCounts.format(now.addingTimeInterval(1)),
        ], as: Answer.self, log: log)
        let groups = answer.viewer.accounts.first?.workersInvocationsAdaptive ?? []
        var counts: [String: [Int: AgentResponse.ColorCounts]] = [:]
        for version in versions {
            var minutes: [Int: AgentResponse.ColorCounts] = [:]
            for group in groups where group.dimensions.scriptVersion == version {
                guard let moment = MomentText.parse(group.dimensions.datetimeMinute) else { continue }
                var buckets: [[UInt64]] = []
                if let p99 = group.quantiles?.wallTimeP99, group.sum.requests > 0 {
                    buckets.append([UInt64(max(0, p99).rounded()), UInt64(group.sum.requests)])
                }
                let figures = AgentResponse.ColorCounts(
                    requests: group.sum.requests, errors5xx: group.sum.errors, connectionErrors: 0, p95Milliseconds: nil,
                    failures: group.sum.errors, latencyBuckets: buckets)
                let minute = SLIMinute.number(of: moment)
                minutes[minute] = minutes[minute].map { PlatformMetrics.total(of: [0: $0, 1: figures]) } ?? figures
            }
            counts[version] = minutes
        }
        return counts
    }

    struct Answer: Decodable, Sendable {
        struct Viewer: Decodable, Sendable { var accounts: [Account] }
        struct Account: Decodable, Sendable { var workersInvocationsAdaptive: [Group] }
        struct Group: Decodable, Sendable {
            struct Sum: Decodable, Sendable {
                var requests: Int
                var errors: Int
            }
            struct Quantiles: Decodable, Sendable {
                /// Microseconds.
                var wallTimeP99: Double?
            }
            struct Dimensions: Decodable, Sendable {
                var scriptVersion: String
                var datetimeMinute: String
            }
            var sum: Sum
            var quantiles: Quantiles?
            var dimensions: Dimensions
        }
        var viewer: Viewer
    }
}
