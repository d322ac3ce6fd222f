import Foundation
@testable import SlipwayCore
import Testing

/// The pure parts of planning a run: what a release, a switch and the live probes record.
@Suite struct ReleasePlanningTests {
    let release = PlannedRelease(
        kind: .deploy, component: "api", environment: "staging", version: "v2", commit: "c2", color: .green, forced: false,
        previousVersion: "v1", actor: "ana", runID: "r1")

    @Test func aReleaseThatGoesLiveIsRecordedDeployedTaggedAndHealthy() {
        let events = release.successEvents(waitsForSwitch: false, healthChecked: true)
        #expect(events.map(\.kind) == [.deploySucceeded, .releaseTagged, .healthChecked])
        #expect(events[0].details.color == "green" && events[0].details.previousVersion == "v1")
        #expect(events[1].details.tag?.contains("v2") == true)
    }

    @Test func aReleaseWithoutAHealthCheckIsNotRecordedHealthy() {
        #expect(release.successEvents(waitsForSwitch: false, healthChecked: false).map(\.kind) == [.deploySucceeded, .releaseTagged])
    }

    @Test func aReleaseWaitingForItsSwitchIsReadyNotLiveNorTagged() {
        let events = release.successEvents(waitsForSwitch: true, healthChecked: true)
        #expect(events.map(\.kind) == [.releaseReady, .healthChecked])
        #expect(events[0].details.color == "green")
    }

    @Test func aSwitchTheRouterConfirmsRecordsTheReleaseLiveAndHealthy() {
        let events = Deployer.switchEvents(
            kind: .switchTraffic, component: "api", environment: "staging", version: "v1", color: .blue, previousVersion: "v2",
            confirmedByTarget: true)
        #expect(events.map(\.kind) == [.deploySucceeded, .healthChecked])
        #expect(events[0].details.version == "v1" && events[0].details.color == "blue")
    }

    @Test func aSwitchByAMakefileGoalRecordsTheSwitchItself() {
        let events = Deployer.switchEvents(
            kind: .switchTraffic, component: "api", environment: "staging", version: nil, color: .blue, previousVersion: "v2",
            confirmedByTarget: false)
        #expect(events.map(\.kind) == [.trafficSwitched])
    }

    @Test func liveHealthTurnsUnhealthyAfterTwoFailuresInARowAndHealthyOnTheFirstGoodProbe() {
        var health = LiveHealth(recorded: true)
        #expect(health.take(healthy: false) == nil, "one blip is not an outage")
        #expect(health.take(healthy: true) == nil)
        #expect(health.take(healthy: false) == nil)
        #expect(health.take(healthy: false) == false)
        #expect(health.take(healthy: false) == nil, "recorded once")
        #expect(health.take(healthy: true) == true)
    }

    @Test func liveHealthRecordsTheFirstProbeWhenNothingWasRecorded() {
        var health = LiveHealth(recorded: nil)
        #expect(health.take(healthy: true) == true)
    }

    @Test func theIdleColourIsTheOtherOneAndBlueFirst() {
        #expect(SlotColor.idle(whenLive: nil) == .blue)
        #expect(SlotColor.idle(whenLive: .blue) == .green)
        #expect(SlotColor.idle(whenLive: .green) == .blue)
        #expect(throws: SlipwayError(.notAColor("red"))) { try SlotColor.parse("red") }
    }
}

/// Requests as the store keeps them: one flat object per request, read back equal.
@Suite struct RunRequestCodingTests {
    @Test(arguments: [
        RunRequest.deploy(.init(component: "api", kind: .service, environment: "staging", version: "v2", force: true)),
        RunRequest.deploy(.init(component: "web", kind: nil, environment: "production", version: nil, force: false)),
        RunRequest.switchTraffic(.init(component: "api", environment: "staging", color: .blue)),
        RunRequest.switchTraffic(.init(component: "api", environment: "staging", color: nil)),
        RunRequest.rollback(.init(component: "api", environment: "production", version: "v1", force: false)),
        RunRequest.promote(.init(component: "api", from: "staging", to: "production")),
        RunRequest.deploy(.init(
            component: "api", kind: .service, environment: "production", version: "v3", force: false,
            overrideGates: .init(reason: "hotfix"))),
        RunRequest.rollback(.init(
            component: "api", environment: "production", version: "v1", force: true, reason: "v1 ignores the new column",
            overrideGates: .init(reason: "v1 predates the pipeline"))),
        RunRequest.promote(.init(component: "api", from: "staging", to: "production", overrideGates: .init(reason: "docs only"))),
        RunRequest.deploy(.init(component: "web", kind: .app, environment: "staging", version: nil, force: false, group: "r20261204-0001")),
    ])
    func aRequestReadsBackAsItWasWritten(request: RunRequest) throws {
        let data = try JSONEncoder().encode(request)
        #expect(try JSONDecoder().decode(RunRequest.self, from: data) == request)
    }

    @Test func theStoredFormIsOneFlatObject() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = String(decoding: try encoder.encode(RunRequest.switchTraffic(.init(component: "api", environment: "staging", color: .green))), as: UTF8.self)
        #expect(text == #"{"action":"switch","color":"green","component":"api","environment":"staging"}"#)
    }

    @Test func anUnknownActionIsRefused() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RunRequest.self, from: Data(#"{"action":"test","component":"a","environment":"b"}"#.utf8))
        }
    }
}

/// Health as a fact with an age, as `status` and the console show it.
@Suite struct FleetHealthTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func state(healthy: Bool, checked secondsAgo: Double) -> DeploymentState {
        var state = DeploymentState(component: "api", environment: "staging")
        state.liveVersion = "v1"
        state.lastHealth = .init(healthy: healthy, time: now - secondsAgo, detail: nil)
        return state
    }

    func probe(_ secondsAgo: Double) -> LiveProbe {
        LiveProbe(component: "api", environment: "staging", checkedAt: now - secondsAgo, healthy: true)
    }

    @Test func aFreshProbeVouchesForTheRecordedHealth() {
        let (health, checkedAt) = FleetRow.health(
            of: state(healthy: true, checked: 600), probedBy: (probe(1), true), interval: 1, now: now)
        #expect(health == .healthy && checkedAt == now - 1)
    }

    @Test func noRecentProbeIsUnknownNotHealthy() {
        let (health, _) = FleetRow.health(of: state(healthy: true, checked: 600), probedBy: (probe(60), true), interval: 1, now: now)
        #expect(health == .unknown)
    }

    @Test func anAgentThatIsDownMakesHealthStale() {
        let (health, _) = FleetRow.health(of: state(healthy: true, checked: 1), probedBy: (probe(1), false), interval: 1, now: now)
        #expect(health == .stale)
    }

    @Test func aReleaseNobodyProbesShowsItsLastRecordedCheck() {
        let (health, checkedAt) = FleetRow.health(of: state(healthy: false, checked: 3600), probedBy: nil, interval: 1, now: now)
        #expect(health == .unhealthy && checkedAt == now - 3600)
    }

    @Test func nothingLiveIsUnknown() {
        #expect(FleetRow.health(of: nil, probedBy: nil, interval: 1, now: now).0 == .unknown)
    }
}

@Suite struct NearestNameTests {
    @Test func aTypoWithinTwoEditsIsSuggested() {
        #expect(NearestName.suggestion(for: "acounts", among: ["accounts", "admin"]) == "accounts")
        #expect(NearestName.suggestion(for: "delpoy-all", among: ["deploy-all", "deploy-app"]) == "deploy-all")
    }

    @Test func nothingCloseIsNoSuggestion() {
        #expect(NearestName.suggestion(for: "zzz", among: ["accounts", "admin"]) == nil)
    }
}
