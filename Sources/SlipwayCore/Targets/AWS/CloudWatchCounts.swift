import Foundation

/// Per-colour counters for a canary, read from CloudWatch in one `get-metric-data` call: each
/// colour's requests and errors summed from `since`, and its latency as one histogram bucket per
/// minute (that minute's p95, weighted by its requests), so two readings diff into one interval
/// as the router's counters do.
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
        var counts: [String: AgentResponse.ColorCounts] = [:]
        for (color, source) in sources {
            let requests = results["requests_\(color.rawValue)"]
            let errors = results["errors_\(color.rawValue)"]
            let latency = results["latency_\(color.rawValue)"]
            let total = Int((requests?.values ?? []).compactMap { $0 }.reduce(0, +))
            let failures = Int((errors?.values ?? []).compactMap { $0 }.reduce(0, +))
            var perMinute: [MetricData.Time: Double] = [:]
            for (time, value) in zip(requests?.timestamps ?? [], requests?.values ?? []) { perMinute[time] = value ?? 0 }
            var buckets: [[UInt64]] = []
            for (time, value) in zip(latency?.timestamps ?? [], latency?.values ?? []) {
                guard let value, let weight = perMinute[time], weight > 0 else { continue }
                buckets.append([UInt64((value * 1000 / source.latencyUnit).rounded()), UInt64(weight)])
            }
            counts[color.rawValue] = AgentResponse.ColorCounts(
                requests: total, errors5xx: failures, connectionErrors: 0, p95Milliseconds: nil, failures: failures,
                latencyBuckets: buckets)
        }
        return counts
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    struct MetricData: Decodable {
        /// A datapoint's time, only ever compared with another's: the CLI prints it as text or,
        /// depending on its version and protocol, as seconds since 1970.
        struct Time: Decodable, Hashable {
            var text: String

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let seconds = try? container.decode(Double.self) {
                    text = String(seconds)
                } else {
                    text = try container.decode(String.self)
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
