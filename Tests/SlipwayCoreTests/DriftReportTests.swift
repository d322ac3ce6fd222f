import Foundation
import SlipwayCore
import Testing

/// The drift matrix from the projection and git facts, without git.
@Suite struct DriftReportTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func state(_ component: String, _ environment: String, _ version: String) -> (Projection.Key, DeploymentState) {
        var state = DeploymentState(component: component, environment: environment)
        state.liveVersion = version
        return (.init(component: component, environment: environment), state)
    }

    @Test func eachEnvironmentIsComparedWithTheLastOneBeforeItThatRunsSomething() {
        let states = Dictionary(uniqueKeysWithValues: [
            Self.state("accounts", "development", "v3"), Self.state("accounts", "production", "v1"),
            Self.state("web", "development", "w2"), Self.state("web", "staging", "w2"), Self.state("web", "production", "gone"),
        ])
        var facts = DriftFacts(branch: "main")
        facts.commits[.init(component: "accounts", version: "v3")] = .init(hash: "c3", date: Self.now - 86_400)
        facts.commits[.init(component: "accounts", version: "v1")] = .init(hash: "c1", date: Self.now - 10 * 86_400)
        facts.commits[.init(component: "web", version: "w2")] = .init(hash: "d2", date: Self.now - 43_200)
        facts.spans[.init(component: "accounts", behind: "c1", ahead: "c3")] = (missing: 2, extra: 1)
        facts.unreleased["accounts"] = [.init(hash: "c4", subject: "newer", author: "Ana")]
        let report = DriftReport(
            components: ["accounts", "web"], environments: ["development", "staging", "production"], states: states,
            facts: facts, now: Self.now)

        let accounts = report.components[0].environments
        #expect(accounts.map(\.version) == ["v3", nil, "v1"])
        #expect(accounts[2].comparedWith == "development", "staging runs nothing: production is compared with development")
        #expect(accounts[2].behind == 2 && accounts[2].ahead == 1)
        #expect(accounts[0].comparedWith == nil && accounts[0].behind == nil)
        #expect(accounts[2].ageDays == 10)
        #expect(report.components[0].unreleased.map(\.hash) == ["c4"])
        #expect(report.components[0].notInGit.isEmpty)

        let web = report.components[1]
        #expect(web.environments[1].behind == 0, "the same commit: nothing behind")
        #expect(web.environments[1].ageDays == 0.5)
        #expect(web.notInGit.map(\.environment) == ["production"])
        #expect(web.environments[2].behind == nil, "a version not in git cannot be counted")
        #expect(web.unreleased.isEmpty)
    }
}
