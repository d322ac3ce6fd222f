import Foundation
import SlipwayCore
import Testing

@Suite struct ReleaseRetentionTests {
    let built = (1...6).map { ReleaseRetention.BuiltRelease(version: "v\($0)", builtAt: Date(timeIntervalSince1970: Double($0) * 60)) }

    @Test func keepsTheNewestAndRemovesTheRestOldestFirst() {
        #expect(ReleaseRetention(keep: 2).versionsToRemove(of: built.shuffled(), protecting: []) == ["v1", "v2", "v3", "v4"])
    }

    @Test func neverRemovesAProtectedVersion() {
        #expect(ReleaseRetention(keep: 2).versionsToRemove(of: built, protecting: ["v1", "v3"]) == ["v2", "v4"])
    }

    @Test func removesNothingWhileUnderTheLimit() {
        #expect(ReleaseRetention(keep: 10).versionsToRemove(of: built, protecting: []).isEmpty)
    }

    @Test func protectsLiveAndLastGoodInEveryEnvironmentAndRunningSlots() {
        var staging = DeploymentState(component: "api", environment: "staging")
        staging.liveVersion = "v6"
        staging.previousVersions = ["v5", "v1"]
        var production = DeploymentState(component: "api", environment: "production")
        production.liveVersion = "v2"
        let other = {
            var state = DeploymentState(component: "web", environment: "staging")
            state.liveVersion = "v4"
            return state
        }()
        let slot = SlotRecord(
            component: "api", environment: "development", color: "blue", version: "v3", port: 1, pid: 1, pidStartTime: "",
            host: "", directory: "", command: "[]", variables: "{}", logPath: "", state: .running, restarts: 0,
            startedAt: Date())
        var stopped = slot
        stopped.version = "v4"
        stopped.state = .stopped
        let protected = ReleaseRetention.protectedVersions(
            of: "api", states: [staging, production, other], slots: [slot, stopped])
        #expect(protected == ["v6", "v5", "v2", "v3"])
    }
}
