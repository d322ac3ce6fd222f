import Foundation
import SlipwayCore
import Testing

@Suite struct CanaryAnalysisTests {
    // MARK: Settings

    @Test func defaultsAreTheSeedsAndFlaggersFigures() throws {
        let policy = try WorkspaceConfig.parse("strategy: canary\n", file: "slipway.yml").componentDefaults.deployment.canaryPolicy
        #expect(policy == CanaryPolicy(
            steps: [5, 25, 50, 100], monitoringPeriod: 1800, interval: 60, threshold: 2, minRequests: 50,
            maxErrorRate: 1, maxLatencyIncrease: 10))
    }

    @Test func theCanaryBlockAndTheSeedsKeysCombine() throws {
        let config = try WorkspaceConfig.parse("""
            strategy: canary
            canaryPercentage: 10
            monitoring_period: 3s
            rollbackThresholds:
              errorRate: 2
              latencyIncrease: 15
            canary:
              interval: 1s
              threshold: 3
              min_requests: 20
            """, file: "slipway.yml")
        let policy = config.componentDefaults.deployment.canaryPolicy
        #expect(policy == CanaryPolicy(
            steps: [10, 25, 50, 100], monitoringPeriod: 3, interval: 1, threshold: 3, minRequests: 20,
            maxErrorRate: 2, maxLatencyIncrease: 15))
    }

    @Test func explicitStepsWin() throws {
        let config = try WorkspaceConfig.parse("canary:\n  steps: [20, 100]\n", file: "slipway.yml")
        #expect(config.componentDefaults.deployment.canaryPolicy.steps == [20, 100])
    }

    @Test(arguments: [
        ("canary:\n  steps: [5, 50, 40, 100]\n", 2, 18, "canary.steps must rise: 40 comes after 50"),
        ("canary:\n  steps: [5, 50]\n", 2, 10, "canary.steps must end at 100, found 50"),
        ("canary:\n  steps: [0, 100]\n", 2, 11, "each of canary.steps must be between 1 and 100, found 0"),
        ("canary:\n  interval: soon\n", 2, 13, "canary.interval must be a duration such as 90s, 5m or 1h, found 'soon'"),
        ("canary:\n  threshold: 0\n", 2, 14, "canary.threshold must be between 1 and 1000, found 0"),
        ("canary:\n  min_request: 5\n", 2, 3, "unknown key 'min_request' in canary; did you mean 'min_requests'? (known: steps, interval, threshold, min_requests)"),
    ])
    func badCanarySettingsNameTheirPlace(text: String, line: Int, column: Int, problem: String) {
        #expect(throws: SlipwayError(.configuration(ConfigLocation(file: "slipway.yml", line: line, column: column), problem: problem))) {
            try WorkspaceConfig.parse(text, file: "slipway.yml")
        }
    }

    // MARK: Judgement

    let policy = CanaryPolicy(minRequests: 50)

    @Test func aHealthyCanaryPasses() {
        let check = CanaryAnalysis.judge(
            canary: ColorInterval(requests: 100, failures: 0, p95Milliseconds: 105),
            stable: ColorInterval(requests: 1900, failures: 0, p95Milliseconds: 100), policy: policy)
        #expect(check.verdict == .pass)
        #expect(check.reasons.isEmpty)
    }

    @Test func fivePercentOfFailuresFails() {
        let check = CanaryAnalysis.judge(
            canary: ColorInterval(requests: 100, failures: 5, p95Milliseconds: 100),
            stable: ColorInterval(requests: 1900, failures: 0, p95Milliseconds: 100), policy: policy)
        #expect(check.verdict == .fail)
        #expect(check.reasons == ["error rate 5% is not below 1%"])
    }

    @Test func anErrorRateJustBelowTheThresholdPasses() {
        let check = CanaryAnalysis.judge(
            canary: ColorInterval(requests: 200, failures: 1, p95Milliseconds: 100),
            stable: ColorInterval(requests: 200, failures: 0, p95Milliseconds: 100), policy: policy)
        #expect(check.verdict == .pass, "0.5% is below 1%")
    }

    @Test func twentyPercentSlowerFailsAndFivePercentSlowerPasses() {
        let stable = ColorInterval(requests: 950, failures: 0, p95Milliseconds: 100)
        let slow = CanaryAnalysis.judge(canary: ColorInterval(requests: 50, failures: 0, p95Milliseconds: 120), stable: stable, policy: policy)
        #expect(slow.verdict == .fail)
        #expect(slow.reasons == ["p95 120ms is 20% above the stable 100ms, more than 10%"])
        let near = CanaryAnalysis.judge(canary: ColorInterval(requests: 50, failures: 0, p95Milliseconds: 105), stable: stable, policy: policy)
        #expect(near.verdict == .pass)
    }

    /// Of fewer than 20 requests the p95 is the slowest one: comparing it would roll a release
    /// back for one slow request (TrafficBurstTests did, on a delayed ACK: 48 ms against 44 ms).
    @Test func p95sAreComparedOnlyOnceEachColourHasTwentyRequests() {
        let lenient = CanaryPolicy(minRequests: 1)
        for (canaryRequests, stableRequests, compared) in [(19, 100, false), (100, 19, false), (20, 20, true)] {
            let check = CanaryAnalysis.judge(
                canary: ColorInterval(requests: canaryRequests, failures: 0, p95Milliseconds: 50),
                stable: ColorInterval(requests: stableRequests, failures: 0, p95Milliseconds: 40), policy: lenient)
            #expect(check.verdict == (compared ? .fail : .pass), "\(canaryRequests) against \(stableRequests)")
            #expect(CanaryAnalysis.comparesLatency(canary: check.canary, stable: check.stable) == compared)
        }
        // The error rate still judges an interval of few requests.
        let failing = CanaryAnalysis.judge(
            canary: ColorInterval(requests: 10, failures: 1, p95Milliseconds: 1),
            stable: ColorInterval(requests: 10, failures: 0, p95Milliseconds: 1), policy: lenient)
        #expect(failing.reasons == ["error rate 10% is not below 1%"])
    }

    @Test func tooLittleTrafficIsInconclusiveNotAPass() {
        let check = CanaryAnalysis.judge(
            canary: ColorInterval(requests: 49, failures: 0, p95Milliseconds: 100),
            stable: ColorInterval(requests: 931, failures: 0, p95Milliseconds: 100), policy: policy)
        #expect(check.verdict == .inconclusive)
        #expect(check.reasons == ["only 49 canary requests in the interval, fewer than min_requests 50"])
    }

    // MARK: Latency buckets

    @Test func bucketsDiffIntoOneIntervalAndGiveItsP95() {
        let earlier = LatencyBuckets([[1000, 90], [5000, 10]])
        let later = LatencyBuckets([[1000, 90], [5000, 10], [100_000, 95], [120_000, 5]])
        let interval = later.since(earlier)
        #expect(interval.total == 100)
        #expect(interval.value(atPercentile: 95) == 100_000)
        #expect(interval.value(atPercentile: 96) == 120_000)
        #expect(interval.count(atOrBelow: 100_000) == 95)
        #expect(LatencyBuckets([]).value(atPercentile: 95) == nil)
    }

    @Test func aRestartedRouterCountsTheNewSnapshotWhole() {
        let earlier = LatencyBuckets([[1000, 500]])
        let later = LatencyBuckets([[1000, 3], [2000, 1]])
        #expect(later.since(earlier) == later)
    }

    // MARK: Steps

    func interval(_ verdict: CanaryAnalysis.Verdict) -> CanaryAnalysis.Check {
        let canary = ColorInterval(
            requests: verdict == .inconclusive ? 10 : 100, failures: verdict == .fail ? 5 : 0, p95Milliseconds: 100)
        return CanaryAnalysis.judge(canary: canary, stable: ColorInterval(requests: 900, failures: 0, p95Milliseconds: 100), policy: policy)
    }

    @Test func passingIntervalsWalkEveryStepAndPromoteAtTheEnd() {
        let start = Date(timeIntervalSince1970: 0)
        var progress = CanaryProgress(policy: CanaryPolicy(monitoringPeriod: 180, interval: 60), startedAt: start)
        var actions: [CanaryProgress.Action] = []
        for minute in 1...9 {
            actions.append(progress.record(interval(.pass), at: start.addingTimeInterval(Double(minute) * 60)))
        }
        #expect(actions == [
            .none, .none, .setWeight(25), .none, .none, .setWeight(50), .none, .none, .promote,
        ])
        #expect(progress.phase == .promoted)
        #expect(progress.weight == 100)
        #expect(progress.passed == 9)
    }

    @Test func thresholdFailedIntervalsRollBack() {
        let start = Date(timeIntervalSince1970: 0)
        var progress = CanaryProgress(policy: CanaryPolicy(monitoringPeriod: 180, interval: 60, threshold: 2), startedAt: start)
        #expect(progress.record(interval(.fail), at: start.addingTimeInterval(60)) == .none)
        #expect(progress.weight == 5)
        #expect(progress.record(interval(.pass), at: start.addingTimeInterval(120)) == .none)
        let action = progress.record(interval(.fail), at: start.addingTimeInterval(180))
        #expect(action == .rollBack(reason: "2 failed checks (threshold 2): error rate 5% is not below 1%"))
        #expect(progress.phase == .rolledBack)
        #expect(progress.weight == 0)
        #expect(progress.record(interval(.pass), at: start.addingTimeInterval(240)) == .none, "nothing after the end")
    }

    @Test func inconclusivePausesUntilResumedAndTheStepClockRestarts() {
        let start = Date(timeIntervalSince1970: 0)
        var progress = CanaryProgress(policy: CanaryPolicy(monitoringPeriod: 120, interval: 60), startedAt: start)
        #expect(progress.record(interval(.pass), at: start.addingTimeInterval(60)) == .none)
        let paused = progress.record(interval(.inconclusive), at: start.addingTimeInterval(120))
        #expect(paused == .pause(reason: "only 10 canary requests in the interval, fewer than min_requests 50"))
        #expect(progress.phase == .paused)
        #expect(progress.record(interval(.pass), at: start.addingTimeInterval(180)) == .none, "paused: not judged")
        #expect(progress.passed == 1)
        _ = progress.resume(at: start.addingTimeInterval(600))
        #expect(progress.timeLeftInStep(at: start.addingTimeInterval(600)) == 120)
        #expect(progress.record(interval(.pass), at: start.addingTimeInterval(660)) == .none)
        #expect(progress.record(interval(.pass), at: start.addingTimeInterval(720)) == .setWeight(25))
    }

    @Test func anOperatorCanPromoteOrAbort() {
        var promoted = CanaryProgress(policy: CanaryPolicy(), startedAt: Date())
        #expect(promoted.promote() == .promote)
        #expect(promoted.weight == 100)
        var aborted = CanaryProgress(policy: CanaryPolicy(), startedAt: Date())
        #expect(aborted.rollBack(reason: "aborted by tester") == .rollBack(reason: "aborted by tester"))
        #expect(aborted.promote() == .none, "a finished canary stays finished")
        #expect(aborted.phase == .rolledBack)
    }
}
