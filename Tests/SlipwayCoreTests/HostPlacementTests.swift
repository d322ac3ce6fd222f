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
        #expect(settings.placements["production"] == HostPlacement(hosts: ["web-1", "web-2", "web-3"], minHealthy: 2, switchOrder: .oneByOne))
        #expect(settings.placements["staging"] == HostPlacement(hosts: ["stage-1"], minHealthy: 1, switchOrder: .together))
        #expect(settings.placements["development"] == nil)
    }

    @Test(arguments: [
        ("    hosts: [web-1]\n    min_healthy: 2\n", "services/api/slipway.yml:6:18", "min_healthy must be"),
        ("    hosts: [web-1, web-1]\n", "services/api/slipway.yml:5:12", "host 'web-1' is named twice"),
        ("    hosts: [web 1]\n", "services/api/slipway.yml:5:12", "host name 'web 1'"),
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
}
