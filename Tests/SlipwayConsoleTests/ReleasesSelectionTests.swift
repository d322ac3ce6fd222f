import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// The releases screen is read again whenever the store changes (a deploy tagging its release, a
/// promotion): the highlight stays on the release the operator chose, so Enter offers that one.
@Suite struct ReleasesSelectionTests {
    @Test func aReleaseTaggedMeanwhileLeavesTheHighlightOnTheChosenRelease() throws {
        let shown = RichFixtures.on(.releases, RichFixtures.state())
        let chosen = Fixtures.pressing([.character("G")], in: shown)
        let oldest = try #require(RichFixtures.releases.last).version
        try #require(chosen.visibleReleases[chosen.selection].version == oldest)

        let tagged = ReleaseTag(component: "accounts", environment: "staging", version: "9e8d7c6b5a49", commit: "9e8d7c6b5a491",
                                actor: "cy", time: Fixtures.now - 10, runID: nil)
        let reloaded = Console.update(chosen, .releasesLoaded(component: "accounts", environment: "staging",
                                                              [tagged] + RichFixtures.releases)).0
        #expect(reloaded.visibleReleases[reloaded.selection].version == oldest)
        let asked = Fixtures.pressing([.enter], in: reloaded)
        let summary = try #require(asked.pending?.summary)
        #expect(summary.hasSuffix("to \(oldest)"), "\(summary)")
    }
}
