import Foundation

/// Per-colour counters read from CloudWatch in one `get-metric-data` call of 60 s periods: each
/// minute's requests and errors, and its latency as one histogram bucket (that minute's p95,
/// weighted by its requests); summed from `since` for a canary, so two readings diff into one
/// interval as the router's counters do.
public struct CloudWatchCounts: Sendable {
    /// Where one colour's figures are.
    public struct Source: Sendable {
        public var namespace: String
        public var dimensions: [String: String]
        public var requests: String
        public var errors: String
        public var latency: String
        /// Latency values per millisecond (TargetResponseTime is in seconds: 0.001; Lambda's Duration 1).
        public var latencyUnit: Double
    }

    public var aws: AWSCommandLine
    public var since: Date

    /// Each colour's counts from `since` to `now`.
    public func counts(_ sources: [SlotColor: Source], now: Date) async throws(SlipwayError) -> [String: AgentResponse.ColorCounts] {
        try await countsByMinute(sources, now: now).mapValues(PlatformMetrics.total(of:))
    }

    /// Each colour's counts per minute (minutes since 1970) from `since` to `now`, one per
    /// CloudWatch datapoint.
    public func countsByMinute(
        _ sources: [SlotColor: Source], now: Date
    ) async throws(SlipwayError) -> [String: [Int: AgentResponse.ColorCounts]] {
        var queries: [[String: Any]] = []
        for (color, source) in sources {
            let dimensions = source.dimensions.sorted { $0.key < $1.key }.map { ["Name": $0.key, "Value": $0.value] }
            for (kind, metric, stat) in [("requests", source.requests, "Sum"), ("errors", source.errors, "Sum"),
                                         ("latency", source.latency, "p95")] {
                queries.append([
                    "Id": "\(kind)_\(color.rawValue)",
                    "MetricStat": [
                        "Metric": ["Namespace": source.namespace, "MetricName": metric, "Dimensions": dimensions],
                        "Period": 60, "Stat": stat,
                    ] as [String: Any],
                ])
            }
        }
        let start = Date(timeIntervalSince1970: (since.timeIntervalSince1970 / 60).rounded(.down) * 60)
        let text = String(decoding: (try? JSONSerialization.data(withJSONObject: queries)) ?? Data(), as: UTF8.self)
        let answer = try await aws.call("cloudwatch", "get-metric-data", [
            "--metric-data-queries", text, "--start-time", Self.format(start), "--end-time", Self.format(now.addingTimeInterval(1)),
        ], as: MetricData.self)
        var results: [String: MetricData.Result] = [:]
        for result in answer.metricDataResults { results[result.id] = result }
        var counts: [String: [Int: AgentResponse.ColorCounts]] = [:]
        for (color, source) in sources {
            let requests = Self.byMinute(results["requests_\(color.rawValue)"])
            let errors = Self.byMinute(results["errors_\(color.rawValue)"])
            let latency = Self.byMinute(results["latency_\(color.rawValue)"])
            var minutes: [Int: AgentResponse.ColorCounts] = [:]
            for minute in Set(requests.keys).union(errors.keys) {
                let total = Int(requests[minute] ?? 0)
                let failures = Int(errors[minute] ?? 0)
                var buckets: [[UInt64]] = []
                if let value = latency[minute], total > 0 {
                    buckets.append([UInt64((value * 1000 / source.latencyUnit).rounded()), UInt64(total)])
                }
                minutes[minute] = AgentResponse.ColorCounts(
                    requests: total, errors5xx: failures, connectionErrors: 0, p95Milliseconds: nil, failures: failures,
                    latencyBuckets: buckets)
            }
            counts[color.rawValue] = minutes
        }
        return counts
    }

    /// A query's datapoints by the minute they are for; one without a value counts none.
    static func byMinute(_ result: MetricData.Result?) -> [Int: Double] {
        var values: [Int: Double] = [:]
        for (time, value) in zip(result?.timestamps ?? [], result?.values ?? []) {
            guard let minute = time.minute, let value else { continue }
            values[minute, default: 0] += value
        }
        return values
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    struct MetricData: Decodable {
        /// A datapoint's time: the CLI prints it as ISO 8601 text or, depending on its version and
        /// protocol, as seconds since 1970.
        struct Time: Decodable {
            /// Minutes since 1970; nil for a time Slipway cannot read.
            var minute: Int?

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let seconds = try? container.decode(Double.self) {
                    minute = Int((seconds / 60).rounded(.down))
                } else {
                    minute = MomentText.parse(try container.decode(String.self)).map { SLIMinute.number(of: $0) }
                }
            }
        }

        struct Result: Decodable {
            var id: String
            var timestamps: [Time]
            var values: [Double?]

            enum CodingKeys: String, CodingKey {
                case id = "Id", timestamps = "Timestamps", values = "Values"
            }
        }

        var metricDataResults: [Result]

        enum CodingKeys: String, CodingKey {
            case metricDataResults = "MetricDataResults"
        }
    }
}
