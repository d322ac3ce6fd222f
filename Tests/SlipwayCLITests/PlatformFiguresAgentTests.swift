import Foundation
@testable import SlipwayAgent
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The agent reads each deployed cloud component's live traffic from its platform and records
/// it for the console and the SLIs: per colour from CloudWatch for an ECS service (moto, an AWS
/// API emulator), per version from the Workers analytics for a Worker (the Cloudflare stand-in),
/// and a refused metrics call as one line, never as zeros. The window tests drive the agent's
/// watch itself with explicit times, minutes in the past, so no test waits for a minute to end.
@Suite(.serialized) struct PlatformFiguresAgentTests {
    /// The minute before the current one has ended: a datapoint half-way through it.
    static var inTheLastMinute: Date {
        Date(timeIntervalSince1970: Double(SLIMinute.number(of: Date()) - 1) * 60 + 30)
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

    /// One test's cloud component, deployed with `--local`, whose agent reads the platform every 0.5 s once started.
    struct Deployed {
        var slipway: SlipwayProcess
        let workspace: TemporaryWorkspace
        let store: EventStore

        init(_ component: String, version: String, slipway base: SlipwayProcess, workspace: TemporaryWorkspace) throws {
            slipway = base
            slipway.environment["SLIPWAY_PLATFORM_METRICS_PAUSE"] = "0.5"
            self.workspace = workspace
            let deploy = try slipway("deploy-service", component, "--env", "staging", "--version", version, "--local")
            #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
            store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        }

        func startAgent() throws {
            #expect(try slipway("agent", "start").status == 0)
        }

        /// The agent's watch of the platform figures, in this process, with the variables the agent would have.
        func watch(windowLimitMinutes: Int = 240) -> PlatformMetricsWatch {
            PlatformMetricsWatch(
                root: workspace.root, statePath: workspace.statePath,
                environment: ProcessInfo.processInfo.environment.merging(slipway.environment) { _, new in new },
                windowLimitMinutes: windowLimitMinutes)
        }

        /// Expects nothing left running.
        func finish() {
            let leftovers = slipway.stopAgentAndListLeftovers()
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }

        func sliMinutes(_ component: String) -> [SLIMinute] {
            (try? store.sliMinutes(component: component, environment: "staging", objective: "availability", since: 0)) ?? []
        }
    }

    /// The ECS service `orders` deployed on moto.
    static func deployedOnECS() throws -> (ECSFixture, Deployed) {
        let ecs = try ECSFixture(moto: try MotoServer())
        let workspace = try ecs.workspace()
        var base = SlipwayProcess(workspace)
        base.environment.merge(ecs.moto.environment) { _, new in new }
        return (ecs, try Deployed("orders", version: "v1", slipway: base, workspace: workspace))
    }

    /// `second` seconds into `minute` (minutes since 1970).
    static func moment(_ minute: Int, second: Double) -> Date {
        Date(timeIntervalSince1970: Double(minute) * 60 + second)
    }

    static func reading(_ store: EventStore, _ component: String, _ environment: String) -> PlatformReading? {
        (try? store.platformReadings())?.first { $0.component == component && $0.environment == environment }
    }

    @Test func theAgentRecordsEachColoursFiguresOfAnECSServiceFromCloudWatchAndCountsThemInTheSLIs() throws {
        let (ecs, deployed) = try Self.deployedOnECS()
        defer { deployed.finish() }
        let store = deployed.store
        #expect(try ecs.weights() == [0, 100])
        // Twenty response times, 5 ms to 100 ms: the p95 is the 19th, 95 ms (the mean would be 52.5, the maximum 100).
        try Self.putMetrics(ecs, color: "green", at: Self.inTheLastMinute, requests: 200, errors: 4,
                            responseTimes: (1...20).map { Double($0) * 0.005 })

        try deployed.startAgent()
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
        #expect(deployed.sliMinutes("orders").isEmpty)
        try Self.putMetrics(ecs, color: "green", at: Date(), requests: 50, errors: 1)
        var minutes: [SLIMinute] = []
        #expect(eventually(150) {
            minutes = deployed.sliMinutes("orders")
            return !minutes.isEmpty
        }, "the minute with 50 requests was counted")
        #expect(minutes.reduce(0) { $0 + $1.total } == 50 && minutes.reduce(0) { $0 + $1.bad } == 1, "\(minutes)")
    }

    /// `agent stop` ends the platform call in flight with the agent. The hook: an `aws` on the
    /// agent's PATH that never answers, so a call is surely in flight at the stop; left running, it
    /// would outlive the agent (as the real CLI did, retrying a moto the stop had ended).
    @Test func agentStopKillsAPlatformCallInFlight() throws {
        var (_, deployed) = try Self.deployedOnECS()
        defer { deployed.finish() }
        let hook = deployed.workspace.root.appendingPathComponent("never-answering")
        try FileManager.default.createDirectory(at: hook, withIntermediateDirectories: true)
        let pidFile = hook.appendingPathComponent("pid")
        let aws = hook.appendingPathComponent("aws")
        try "#!/bin/sh\necho $$ > '\(pidFile.path)'\nexec sleep 300\n".write(to: aws, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: aws.path)
        deployed.slipway.environment["PATH"] = hook.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")

        try deployed.startAgent()
        var pid: Int32?
        #expect(eventually(60) {
            pid = (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            return pid != nil
        }, "the agent called aws for the figures")
        let call = try #require(pid)
        #expect(DetachedProcess.isRunning(call))
        let leftovers = deployed.slipway.stopAgentAndListLeftovers()
        #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        #expect(eventually(5) { !DetachedProcess.isRunning(call) }, "the aws call in flight was ended with the agent")
    }

    @Test func theAgentRecordsEachVersionsFiguresOfAWorkerFromTheWorkersAnalytics() throws {
        let (standin, workspace, base) = try CloudflareWorkersTests().worker()
        let deployed = try Deployed("edge", version: "v1", slipway: base, workspace: workspace)
        defer { deployed.finish() }
        let store = deployed.store
        try standin.invocations(script: "edge-staging", tag: "v1", secondsAgo: 60, requests: 300, errors: 6, wallTimeMicroseconds: 42_000)

        try deployed.startAgent()
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
        let deployed = try Deployed("edge", version: "v1", slipway: base, workspace: workspace)
        defer { deployed.finish() }
        let store = deployed.store
        try standin.fault(path: "/graphql", status: 401, count: 1000)

        try deployed.startAgent()
        #expect(eventually(60) { Self.reading(store, "edge", "staging")?.problem != nil })
        let reading = try #require(Self.reading(store, "edge", "staging"))
        let problem = try #require(reading.problem)
        #expect(!problem.contains("\n") && problem.contains("CLOUDFLARE_API_TOKEN"), "\(problem)")
        #expect(reading.shares.isEmpty, "no zeros stand in for figures the platform did not give")
        #expect(deployed.slipway.agentIsRunning, "a failing metrics call does not take the agent down")
    }

    /// A pass whose reading fails leaves its minutes to the next pass, which reads them again: a
    /// minute is neither lost nor counted twice.
    @Test func aFailedPassIsReadAgainByTheNextSoNoMinuteIsMissing() async throws {
        let (standin, workspace, base) = try CloudflareWorkersTests().worker()
        let deployed = try Deployed("edge", version: "v1", slipway: base, workspace: workspace)
        defer { deployed.finish() }
        let watch = deployed.watch()
        // Minutes 5 and 4 before the current one: first ending, then counted.
        let minute = SLIMinute.number(of: Date()) - 5
        for (moment, requests, errors) in [(Self.moment(minute, second: 20), 100, 1), (Self.moment(minute + 1, second: 20), 200, 3)] {
            try standin.invocations(
                script: "edge-staging", tag: "v1", secondsAgo: Date().timeIntervalSince(moment), requests: requests, errors: errors,
                wallTimeMicroseconds: 10_000)
        }

        await watch.readDue(now: Self.moment(minute, second: 30))
        #expect(deployed.sliMinutes("edge").isEmpty, "the first window only shows")
        try standin.fault(path: "/graphql", status: 401, count: 1)
        await watch.readDue(now: Self.moment(minute + 1, second: 30))
        #expect(Self.reading(deployed.store, "edge", "staging")?.problem?.contains("CLOUDFLARE_API_TOKEN") == true)
        #expect(deployed.sliMinutes("edge").isEmpty, "the failed minute is not counted")

        // The same minute, a pass later: the failed window is read again.
        await watch.readDue(now: Self.moment(minute + 1, second: 45))
        #expect(deployed.sliMinutes("edge").map(\.minute) == [minute])
        await watch.readDue(now: Self.moment(minute + 2, second: 30))
        let minutes = deployed.sliMinutes("edge")
        #expect(minutes.map(\.minute) == [minute, minute + 1], "\(minutes)")
        #expect(minutes.map(\.total) == [100, 200] && minutes.map(\.bad) == [1, 3], "\(minutes)")
        let reading = try #require(Self.reading(deployed.store, "edge", "staging"))
        #expect(reading.problem == nil && reading.share("v1")?.requests == 200, "the last window's figures: \(reading)")
    }

    /// A window of several minutes (after a slow or failed pass) adds each minute's figures to
    /// that minute, from CloudWatch's 60 s datapoints, not all of them to its last.
    @Test func aWindowOfSeveralMinutesCountsEachMinuteInItsOwnMinute() async throws {
        let (ecs, deployed) = try Self.deployedOnECS()
        defer { deployed.finish() }
        let watch = deployed.watch()
        // Minutes 5 and 4 before the current one, read in one window after the first.
        let minute = SLIMinute.number(of: Date()) - 5
        try Self.putMetrics(ecs, color: "green", at: Self.moment(minute, second: 10), requests: 100, errors: 1)
        try Self.putMetrics(ecs, color: "green", at: Self.moment(minute + 1, second: 10), requests: 300, errors: 6)

        await watch.readDue(now: Self.moment(minute, second: 30))
        await watch.readDue(now: Self.moment(minute + 2, second: 30))
        let minutes = deployed.sliMinutes("orders")
        #expect(minutes.map(\.minute) == [minute, minute + 1], "\(minutes)")
        #expect(minutes.map(\.total) == [100, 300] && minutes.map(\.bad) == [1, 6], "\(minutes)")
        let reading = try #require(Self.reading(deployed.store, "orders", "staging"))
        #expect(reading.share("green")?.requests == 400 && reading.windowEnd.timeIntervalSince(reading.windowStart) == 120,
                "the screen shows the whole window: \(reading)")
    }

    /// After an outage longer than the window limit, each pass reads at most the limit and the
    /// next goes on from there at once, without waiting for a new minute: every minute is counted
    /// once, in order, and the screen shows the window read last.
    @Test func aLongCatchUpIsReadInWindowsOfTheLimitUntilItIsDone() async throws {
        let (ecs, deployed) = try Self.deployedOnECS()
        defer { deployed.finish() }
        let watch = deployed.watch(windowLimitMinutes: 1)
        let minute = SLIMinute.number(of: Date()) - 6
        for (offset, requests) in [(0, 100), (1, 200), (2, 300)] {
            try Self.putMetrics(ecs, color: "green", at: Self.moment(minute + offset, second: 10), requests: requests, errors: offset)
        }

        await watch.readDue(now: Self.moment(minute, second: 30))
        let now = Self.moment(minute + 3, second: 30)
        await watch.readDue(now: now)
        #expect(deployed.sliMinutes("orders").map(\.minute) == [minute], "one minute a pass")
        let first = try #require(Self.reading(deployed.store, "orders", "staging"))
        #expect(first.windowEnd.timeIntervalSince(first.windowStart) == 60, "\(first)")
        await watch.readDue(now: now)
        await watch.readDue(now: now)
        let minutes = deployed.sliMinutes("orders")
        #expect(minutes.map(\.minute) == [minute, minute + 1, minute + 2], "\(minutes)")
        #expect(minutes.map(\.total) == [100, 200, 300] && minutes.map(\.bad) == [0, 1, 2], "\(minutes)")
        await watch.readDue(now: now)
        #expect(deployed.sliMinutes("orders").count == 3, "caught up: nothing is read twice")
    }
}
