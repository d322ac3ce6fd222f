import Histogram

/// Cumulative counters of one route's colour since the route was added. Diff two snapshots with
/// ``since(_:)`` to get the numbers for the interval between them.
public struct ColorMetrics: Sendable, Equatable {
    /// Completed requests, whatever their outcome.
    public private(set) var requests: UInt64 = 0
    /// Responses with a 5xx status, including the router's own 502 and 504.
    public private(set) var serverErrors: UInt64 = 0
    /// Requests whose upstream connection could not be opened or broke before the response ended.
    public private(set) var connectionErrors: UInt64 = 0
    /// Requests that ended in a 5xx or a broken upstream connection, each counted once.
    public private(set) var failedRequests: UInt64 = 0
    /// Time from the request head to the end of the response, in microseconds.
    public private(set) var latency: Histogram<UInt64> = ColorMetrics.emptyHistogram()

    public init() {}

    public var latencySummary: LatencySummary {
        LatencySummary(
            count: latency.totalCount,
            p50: latency.valueAtPercentile(50),
            p95: latency.valueAtPercentile(95),
            p99: latency.valueAtPercentile(99),
            max: latency.max
        )
    }

    /// The share of requests that ended in a 5xx, or nil when there were none to judge by.
    public var serverErrorRate: Double? {
        requests == 0 ? nil : Double(serverErrors) / Double(requests)
    }

    /// What happened between `earlier` and this snapshot. If `earlier` is not older (the router
    /// restarted in between), this snapshot is returned whole.
    public func since(_ earlier: ColorMetrics) -> ColorMetrics {
        guard earlier.requests <= requests, earlier.latency.totalCount <= latency.totalCount else {
            return self
        }
        var interval = ColorMetrics()
        interval.requests = requests - earlier.requests
        interval.serverErrors = serverErrors - min(serverErrors, earlier.serverErrors)
        interval.connectionErrors = connectionErrors - min(connectionErrors, earlier.connectionErrors)
        interval.failedRequests = failedRequests - min(failedRequests, earlier.failedRequests)
        for bucket in latency.recordedValues() {
            let before = earlier.latency.countForValue(bucket.value)
            if bucket.count > before {
                _ = interval.latency.record(bucket.value, count: bucket.count - before)
            }
        }
        return interval
    }

    mutating func record(statusCode: Int, connectionFailed: Bool, microseconds: UInt64) {
        requests += 1
        if statusCode >= 500 {
            serverErrors += 1
        }
        if connectionFailed {
            connectionErrors += 1
        }
        if statusCode >= 500 || connectionFailed {
            failedRequests += 1
        }
        // Values past the trackable range count as the highest one rather than vanishing.
        _ = latency.record(min(microseconds, latency.highestTrackableValue))
    }

    /// Two significant digits (1% resolution) up to an hour keep a histogram near 30 KiB, which
    /// matters with dozens of routes; canary analysis compares p95s within 10%.
    private static func emptyHistogram() -> Histogram<UInt64> {
        Histogram(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .two)
    }
}

extension ColorMetrics: Codable {
    private enum CodingKeys: String, CodingKey {
        case requests
        case serverErrors = "server_errors"
        case connectionErrors = "connection_errors"
        case failedRequests = "failed_requests"
        case latency = "latency_us"
        case latencyBuckets = "latency_buckets"
    }

    /// The histogram travels as `[value, count]` pairs of its non-empty buckets, enough to
    /// rebuild it exactly on the other side of the control socket.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requests = try container.decode(UInt64.self, forKey: .requests)
        serverErrors = try container.decode(UInt64.self, forKey: .serverErrors)
        connectionErrors = try container.decode(UInt64.self, forKey: .connectionErrors)
        failedRequests = try container.decodeIfPresent(UInt64.self, forKey: .failedRequests) ?? serverErrors
        for pair in try container.decode([[UInt64]].self, forKey: .latencyBuckets) {
            guard pair.count == 2 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .latencyBuckets, in: container, debugDescription: "each bucket is [value, count]")
            }
            _ = latency.record(pair[0], count: pair[1])
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(requests, forKey: .requests)
        try container.encode(serverErrors, forKey: .serverErrors)
        try container.encode(connectionErrors, forKey: .connectionErrors)
        try container.encode(failedRequests, forKey: .failedRequests)
        try container.encode(latencySummary, forKey: .latency)
        try container.encode(latency.recordedValues().map { [$0.value, $0.count] }, forKey: .latencyBuckets)
    }
}
