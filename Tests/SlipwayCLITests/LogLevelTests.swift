import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// Diagnostics (warnings about the workspace, notices of waits) go through swift-log: shown from
/// the level `--log-level` or `SLIPWAY_LOG_LEVEL` sets, in the command line's one-line form.
@Suite struct LogLevelTests {
    let warning = "slipway: warning: apps/bad;name: component name 'bad;name' must match"

    func workspaceWithABadComponent() throws -> TemporaryWorkspace {
        let workspace = try FakeCloudWorkspace.create()
        try workspace.makeFolder("apps/bad;name")
        return workspace
    }

    @Test func warningsShowByDefault() throws {
        let listed = try SlipwayProcess(try workspaceWithABadComponent())("list-apps")
        #expect(listed.status == 0 && listed.stderr.contains(warning), "\(listed.stderr)")
    }

    @Test func theOptionHidesWhatIsBelowItsLevel() throws {
        let slipway = SlipwayProcess(try workspaceWithABadComponent())
        let listed = try slipway("list-apps", "--log-level", "error")
        #expect(listed.status == 0 && !listed.stderr.contains("warning"), "\(listed.stderr)")
        #expect(try slipway("list-apps", "--log-level=warning").stderr.contains(warning))
    }

    @Test func theVariableSetsTheLevelAndTheOptionWins() throws {
        let slipway = SlipwayProcess(try workspaceWithABadComponent())
        let quiet = try slipway("list-apps", environment: ["SLIPWAY_LOG_LEVEL": "error"])
        #expect(quiet.status == 0 && !quiet.stderr.contains("warning"), "\(quiet.stderr)")
        let told = try slipway("list-apps", "--log-level", "notice", environment: ["SLIPWAY_LOG_LEVEL": "error"])
        #expect(told.stderr.contains(warning), "\(told.stderr)")
    }

    @Test func aLevelThatIsNoneIsAUsageError() throws {
        let refused = try SlipwayProcess(try workspaceWithABadComponent())("list-apps", "--log-level", "loud")
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("--log-level"), "\(refused.stderr)")
    }
}
