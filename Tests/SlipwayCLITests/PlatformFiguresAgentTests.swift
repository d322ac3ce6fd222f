import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The agent reads each deployed cloud component's live traffic from its platform and records
/// it for the console and the SLIs: per colour from CloudWatch for an ECS service (moto, an AWS
/// API emulator), per version from the Workers analytics for a Worker (the Cloudflare stand-in),
/// and a refused metrics call as one line, never as zeros.
@Suite(.serialized) struct PlatformFiguresAgentTests {
    /// The minute before the current one has ended: a datapoint half-way through it.
    static var inTheLastMinute: Date {
        Date(timeIntervalSince1970: Double(EventStore.minute(of: Date()) - 1) * 60 + 30)
    }

    /// ALB datapoints for one colour's target group at `time`, as CloudWatch records them, with
    /// `responseTimes` (seconds) as samples of `TargetResponseTime`.
    static func putMetrics(
        _ ecs: ECSFixture, color: String, at time: Date, requests: Int, errors: Int, responseTimes: [Double] = []
    ) throws {
        var balancer = String(ecs.listener[ecs.listener.range(of: "listener/")!.upperBound...])
        balancer = String(balancer[..<balancer.lastIndex(of: "/")!])
        let group = color == "blue" ? ecs.blueGroup : ecs.greenGroup
        let targetGroup = String(group[group.range(of: "targetgroup/")!.lowerBound...])
        let dimensions = "[{\"Name\":\"LoadBalancer\",\"Value\":\"\(balancer)\"},{\"Name\":\"TargetGroup\",\"Value\":\"\(targetGroup)\"}]"
        let stamp = "\"\(ISO8601DateFormatter().string(from: time))\""
        let data = [
            "{\"MetricName\":\"RequestCount\",\"Dimensions\":\(dimensions),\"Value\":\(requests),\"Unit\":\"Count\",\"Timestamp\":\(stamp)}",
            "{\"MetricName\":\"HTTPCode_Target_5XX_Count\",\"Dimensions\":\(dimensions),\"Value\":\(errors),\"Unit\":\"Count\",\"Timestamp\":\(stamp)}",
        ] + responseTimes.map {
            "{\"MetricName\":\"TargetResponseTime\",\"Dimensions\":\(dimensions),\"Value\":\($0),\"Unit\":\"Seconds\",\"Timestamp\":\(stamp)}"
        }
        try ecs.moto.aws("cloudwatch", "put-metric-data", "--namespace", "AWS/ApplicationELB", "--metric-data", "[" + data.joined(separator: ",") + "]")
    }

    static func reading(_ store: EventStore, _ component: String, _ environment: String) -> PlatformReading? {
        (try? store.platformReadings())?.first { $0.component == component && $0.environment == environment }
    }

    @Test func theAgentRecordsEachColoursFiguresOfAnECSServiceFromCloudWatchAndCountsThemInTheSLIs() throws {
        let moto = try MotoServer()
        let ecs = try ECSFixture(moto: moto)
        let workspace = try ecs.workspace()
        var slipway = SlipwayProcess(workspace)
        slipway.environment.merge(moto.environment) { _, new in new }
        slipway.environment["SLIPWAY_PLATFORM_METRICS_PAUSE"] = "0.5"
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let deploy = try slipway("deploy-service", "orders", "--env", "staging", "--version", "v1", "--local")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        #expect(try ecs.weights() == [0, 100])
        // Twenty response times, 5 ms to 100 ms: the p95 is the 19th, 95 ms (the mean would be 52.5, the maximum 100).
        try Self.putMetrics(ecs, color: "green", at: Self.inTheLastMinute, requests: 200, errors: 4,
                            responseTimes: (1...20).map { Double($0) * 0.005 })

        #expect(try slipway("agent", "start").status == 0)
        let store = try EventStore(path: workspace.statePath, actor: "tester")
        #expect(eventually(60) { Self.reading(store, "orders", "staging")?.share("green")?.requests == 200 },
                "\(String(describing: Self.reading(store, "orders", "staging")))")
        let reading = try #require(Self.reading(store, "orders", "staging"))
        #expect(reading.source == "CloudWatch" && reading.problem == nil)
        let green = try #require(reading.share("green"))
        #expect(green.version == "v1" && green.percent == 100 && green.failures == 4 && green.errorRate == 2)
        #expect(green.p95Milliseconds.map { abs($0 - 95) < 0.5 } == true, "the p95 of TargetResponseTime: \(String(describing: green.p95Milliseconds))")
        let blue = try #require(reading.share("blue"))
        #expect(blue.version == "initial" && blue.percent == 0 && blue.requests == 0, "read from the listener and blue's service")
        #expect(reading.windowEnd.timeIntervalSince(reading.windowStart) >= 60 && reading.windowEnd <= Date())

        // The first window only shows (an agent before this one may have counted it); the next ones count.
        #expect(try store.sliMinutes(component: "orders", environment: "staging", objective: "availability", since: 0).isEmpty)
        try Self.putMetrics(ecs, color: "green", at: Date(), requests: 50, errors: 1)
        var minutes: [SLIMinute] = []
        #expect(eventually(150) {
            minutes = (try? store.sliMinutes(component: "orders", environment: "staging", objective: "availability", since: 0)) ?? []
            return !minutes.isEmpty
        }, "the minute with 50 requests was counted")
        #expect(minutes.reduce(0) { $0 + $1.total } == 50 && minutes.reduce(0) { $0 + $1.bad } == 1, "\(minutes)")
    }

    @Test func theAgentRecordsEachVersionsFiguresOfAWorkerFromTheWorkersAnalytics() throws {
        let (standin, workspace, base) = try CloudflareWorkersTests().worker()
        var slipway = base
        slipway.environment["SLIPWAY_PLATFORM_METRICS_PAUSE"] = "0.5"
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let deploy = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v1", "--local")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        try standin.invocations(script: "edge-staging", tag: "v1", secondsAgo: 60, requests: 300, errors: 6, wallTimeMicroseconds: 42_000)

        #expect(try slipway("agent", "start").status == 0)
        let store = try EventStore(path: workspace.statePath, actor: "tester")
        #expect(eventually(60) { Self.reading(store, "edge", "staging")?.share("v1")?.requests == 300 },
                "\(String(describing: Self.reading(store, "edge", "staging")))")
        let reading = try #require(Self.reading(store, "edge", "staging"))
        #expect(reading.source == "Workers analytics" && reading.problem == nil)
        let v1 = try #require(reading.share("v1"))
        #expect(v1.version == "v1" && v1.percent == 100 && v1.failures == 6 && v1.p95Milliseconds == 42)
        #expect(reading.note?.contains("p99") == true, "the stand-in for p95 is named: \(reading.note ?? "")")
    }

    @Test func aRefusedMetricsCallIsRecordedAsOneLineWithoutFigures() throws {
        let (standin, workspace, base) = try CloudflareWorkersTests().worker()
        var slipway = base
        slipway.environment["SLIPWAY_PLATFORM_METRICS_PAUSE"] = "0.5"
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        let deploy = try slipway("deploy-service", "edge", "--env", "staging", "--version", "v1", "--local")
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        try standin.fault(path: "/graphql", status: 401, count: 1000)

        #expect(try slipway("agent", "start").status == 0)
        let store = try EventStore(path: workspace.statePath, actor: "tester")
        #expect(eventually(60) { Self.reading(store, "edge", "staging")?.problem != nil })
        let reading = try #require(Self.reading(store, "edge", "staging"))
        let problem = try #require(reading.problem)
        #expect(!problem.contains("\n") && problem.contains("CLOUDFLARE_API_TOKEN"), "\(problem)")
        #expect(reading.shares.isEmpty, "no zeros stand in for figures the platform did not give")
        #expect(slipway.agentIsRunning, "a failing metrics call does not take the agent down")
    }
}
