import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// `hosts:`, `min_healthy:` and `host_switch:` in a component's environment block.
struct HostPlacementTests {
    func load(_ environments: String) throws -> Workspace {
        let workspace = try TemporaryWorkspace(files: [
            "services/api/slipway.yml": "target: local\nrun: exec ./serve\nenvironments:\n\(environments)",
        ])
        return try Workspace.load(at: workspace.root)
    }

    @Test func placementsAreReadPerEnvironment() throws {
        let workspace = try load("""
              production:
                hosts: [web-1, web-2, web-3]
                min_healthy: 2
                host_switch: one-by-one
              staging:
                hosts: [stage-1]
            """)
        let settings = try workspace.component(named: "api").settings
        let production = try #require(settings.placements["production"])
        #expect(production.hosts == ["web-1", "web-2", "web-3"] && production.minHealthy == 2 && production.switchOrder == .oneByOne)
        #expect(production.location?.description == "services/api/slipway.yml:5:12")
        let staging = try #require(settings.placements["staging"])
        #expect(staging.hosts == ["stage-1"] && staging.minHealthy == 1 && staging.switchOrder == .together)
        #expect(settings.placements["development"] == nil)
    }

    @Test(arguments: [
        ("    hosts: [web-1]\n    min_healthy: 2\n", "services/api/slipway.yml:6:18", "min_healthy must be"),
        ("    hosts: [web-1, web-1]\n", "services/api/slipway.yml:5:20", "host 'web-1' is named twice"),
        ("    hosts: [web-1, web 1]\n", "services/api/slipway.yml:5:20", "host name 'web 1'"),
        ("    hosts:\n      - web-1\n      - web_2!\n", "services/api/slipway.yml:7:9", "host name 'web_2!'"),
        ("    hosts: []\n", "services/api/slipway.yml:5:12", "hosts must name at least one host"),
        ("    min_healthy: 1\n", "services/api/slipway.yml:5:18", "min_healthy and host_switch need hosts:"),
        ("    hosts: [web-1]\n    host_switch: rolling\n", "services/api/slipway.yml:6:18", "host_switch must be together or one-by-one"),
    ])
    func badPlacementsAreRefusedAtTheirPlace(block: String, place: String, message: String) throws {
        let workspace = try load("  production:\n" + block)
        let problem = try #require(workspace.problems.first { $0.path.contains("api") })
        #expect(problem.error.message.contains(place), "\(problem.error.message)")
        #expect(problem.error.message.contains(message), "\(problem.error.message)")
    }

    @Test(arguments: [
        ("target: aws-ecs\n", "target local with run:"),
        ("target: local\nrun: exec ./serve\nstrategy: canary\n", "strategy canary is not supported on several hosts"),
        ("target: local\nrun: exec ./serve\nauto_promote: false\n", "auto_promote: false is not supported on several hosts"),
    ])
    func componentsThatCannotBePlacedOnHostsAreSetAsideAtHosts(head: String, message: String) async throws {
        let workspace = try TemporaryWorkspace(files: [
            "services/api/slipway.yml": head + "environments:\n  production:\n    hosts: [web-1]\n",
        ])
        let engine = try await Engine.open(workspace: workspace.root, state: workspace.statePath, output: { _ in })
        let problem = try #require(engine.workspace.problems.first { $0.path.contains("api") })
        #expect(problem.error.message.contains("services/api/slipway.yml:"), "\(problem.error.message)")
        #expect(problem.error.message.contains(message), "\(problem.error.message)")
    }
}
