/// The agent's `/metrics` page in the Prometheus text format (version 0.0.4): per component,
/// environment and colour request and failure counters and a latency histogram, and each
/// objective's figures as gauges, so an existing Prometheus can scrape the fleet.
public struct PrometheusExposition: Sendable {
    /// One colour of one route, as the router counted it since it started.
    public struct ColorSample: Sendable {
        public var component: String
        public var environment: String
        public var color: String
        public var counts: AgentResponse.ColorCounts

        public init(component: String, environment: String, color: String, counts: AgentResponse.ColorCounts) {
            self.component = component
            self.environment = environment
            self.color = color
            self.counts = counts
        }
    }

    /// Histogram bounds in seconds: Prometheus's client defaults, which cover 5 ms to 10 s.
    public static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    public var colors: [ColorSample]
    public var slo: [SLOReport.Entry]

    public init(colors: [ColorSample], slo: [SLOReport.Entry]) {
        self.colors = colors
        self.slo = slo
    }

    public var text: String {
        var lines: [String] = []
        func family(_ name: String, _ type: String, _ help: String) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
        }
        family("slipway_requests_total", "counter", "Requests the router completed, per colour.")
        for sample in colors {
            lines.append("slipway_requests_total\(labels(sample)) \(sample.counts.requests)")
        }
        family("slipway_request_failures_total", "counter", "Requests answered 5xx or whose upstream connection failed.")
        for sample in colors {
            lines.append("slipway_request_failures_total\(labels(sample)) \(sample.counts.failures ?? sample.counts.errors5xx)")
        }
        family("slipway_request_duration_seconds", "histogram", "Time from the request head to the end of the response.")
        for sample in colors {
            let buckets = LatencyBuckets(sample.counts.latencyBuckets ?? [])
            for bound in Self.bounds {
                let count = buckets.count(atOrBelow: UInt64(bound * 1_000_000))
                lines.append("slipway_request_duration_seconds_bucket\(labels(sample, ("le", Self.number(bound)))) \(count)")
            }
            lines.append("slipway_request_duration_seconds_bucket\(labels(sample, ("le", "+Inf"))) \(buckets.total)")
            let sum = buckets.counts.reduce(0.0) { $0 + Double($1.key) * Double($1.value) } / 1_000_000
            lines.append("slipway_request_duration_seconds_sum\(labels(sample)) \(Self.number(sum))")
            lines.append("slipway_request_duration_seconds_count\(labels(sample)) \(buckets.total)")
        }
        let gauges: [(String, String, (SLOStatus) -> Double?)] = [
            ("slipway_slo_target_ratio", "The objective: the share of events that must be good.", { $0.objective.target / 100 }),
            ("slipway_slo_current_ratio", "The share of good events over the objective's window.", { $0.current.map { $0 / 100 } }),
            ("slipway_slo_error_budget_remaining_ratio", "1 - bad ratio over the window / budget.", { $0.budgetRemaining }),
            ("slipway_slo_burn_rate", "Bad ratio over the last hour / budget.", { $0.burnRate }),
        ]
        for (name, help, value) in gauges {
            family(name, "gauge", help)
            for entry in slo {
                guard let figure = value(entry.status) else { continue }
                let set = Self.labelSet([
                    ("component", entry.component), ("environment", entry.environment), ("objective", entry.status.objective.name),
                ])
                lines.append("\(name)\(set) \(Self.number(figure))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func labels(_ sample: ColorSample, _ extra: (String, String)? = nil) -> String {
        var pairs = [("component", sample.component), ("environment", sample.environment), ("color", sample.color)]
        if let extra { pairs.append(extra) }
        return Self.labelSet(pairs)
    }

    static func labelSet(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
    }

    /// Label values escape backslash, double quote and line feed.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
    }
}
