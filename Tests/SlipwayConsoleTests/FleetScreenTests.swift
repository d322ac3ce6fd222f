import Foundation
import Testing
@testable import SlipwayConsole

@Suite struct FleetScreenTests {
    @Test func showsEachComponentOnceWithItsLiveVersionColourAndHealthPerEnvironment() throws {
        let frame = Console.render(Fixtures.state())
        let accounts = try #require(frame.line(containing: "accounts")).text
        #expect(accounts.contains("3f9a2c1b7d4e blue  ●"))
        #expect(accounts.contains("3f9a2c1b7d4e green ●"))
        #expect(accounts.contains("0c1d2e3f4a5b blue  ●"))
        #expect(frame.lines.filter { $0.contains("accounts") }.count == 1)
    }

    @Test func environmentsAreColumnGroupsInWorkspaceOrder() throws {
        let heading = try #require(Console.render(Fixtures.state()).line(containing: "COMPONENT")).text
        let development = try #require(heading.range(of: "development")).lowerBound
        let staging = try #require(heading.range(of: "staging")).lowerBound
        let production = try #require(heading.range(of: "production")).lowerBound
        #expect(development < staging && staging < production)
        #expect(heading.contains("TECHNOLOGY") && heading.contains("TARGET"))
    }

    @Test func marksUnhealthyAndUnknownHealth() throws {
        let frame = Console.render(Fixtures.state())
        let landing = try #require(frame.line(containing: "landing-page")).text
        #expect(landing.contains("5e5e5e5e5e5e green ✗"))
        #expect(landing.contains("-            -     ?"))
    }

    @Test func marksADeployInProgress() throws {
        let frame = Console.render(Fixtures.state())
        #expect(try #require(frame.line(containing: "billing")).text.contains("66aa88bb99cc blue  ?⟳"))
        #expect(try !#require(frame.line(containing: "accounts")).text.contains("⟳"))
    }

    @Test func fallsBackToASCIISymbolsWhenTheLocaleIsNotUTF8() throws {
        let frame = Console.render(Fixtures.state(symbols: .ascii))
        #expect(try #require(frame.line(containing: "accounts")).text.contains("3f9a2c1b7d4e green o"))
        #expect(try #require(frame.line(containing: "landing-page")).text.contains("green x"))
        #expect(try #require(frame.line(containing: "billing")).text.contains("?*"))
        #expect(!frame.text.unicodeScalars.contains { !$0.isASCII })
    }

    @Test func showsTechnologyAndTarget() throws {
        let frame = Console.render(Fixtures.state())
        let billing = try #require(frame.line(containing: "billing")).text
        #expect(billing.hasSuffix("node        aws-ecs"))
        #expect(try #require(frame.line(containing: "accounts")).text.contains("swift"))
    }

    @Test func cutsALongVersionToTwelveColumns() throws {
        let rows = [Fixtures.row("accounts", "staging", version: "3f9a2c1b7d4e-dirty", color: "blue", health: .healthy)]
        let line = try #require(Console.render(Fixtures.state(rows: rows)).line(containing: "accounts")).text
        #expect(line.contains("3f9a2c1b7d4… blue"))
        #expect(!line.contains("dirty"))
    }

    /// Health nobody vouches for now never shows the healthy mark: unknown is `?`, stale (agent down) `◌`.
    @Test func unknownAndStaleHealthHaveMarksOfTheirOwn() throws {
        let rows = [
            Fixtures.row("accounts", "staging", version: "3f9a2c1b7d4e", color: "blue", health: .stale),
            Fixtures.row("billing", "staging", version: "3f9a2c1b7d4e", color: "green", health: .unknown),
        ]
        let frame = Console.render(Fixtures.state(rows: rows))
        let accounts = try #require(frame.line(containing: "accounts")).text
        let billing = try #require(frame.line(containing: "billing")).text
        #expect(accounts.contains("3f9a2c1b7d4e blue  ◌"), "\(accounts)")
        #expect(billing.contains("3f9a2c1b7d4e green ?"), "\(billing)")
        #expect(!accounts.contains("●") && !billing.contains("●"))
    }

    /// A failed last deploy is marked on the fleet, not drawn like the others.
    @Test func aFailedLastDeployIsMarked() throws {
        var failed = Fixtures.row("accounts", "staging", version: "3f9a2c1b7d4e", color: "blue", health: .healthy)
        failed.lastOutcome = "failed"
        var fine = Fixtures.row("billing", "staging", version: "3f9a2c1b7d4e", color: "blue", health: .healthy)
        fine.lastOutcome = "succeeded"
        let frame = Console.render(Fixtures.state(rows: [failed, fine]))
        #expect(try #require(frame.line(containing: "accounts")).text.contains("blue  ●⚠"))
        #expect(!(try #require(frame.line(containing: "billing")).text.contains("⚠")))
    }

    @Test func drawsTheSelectedComponentInReverseVideo() throws {
        let frame = Console.render(Fixtures.pressing([.character("j")], in: Fixtures.state()))
        let billing = try #require(frame.line(containing: "billing")).row
        #expect(frame.reverseRows == [billing])
    }

    @Test func headerShowsWorkspaceRevisionActorAgentAndUTCClock() {
        let header = Console.render(Fixtures.state()).lines[0]
        #expect(header.hasPrefix("slipway  /srv/monorepo  main@1a2b3c4  actor: ana  agent: down"))
        #expect(header.hasSuffix("09:30:12 UTC"))
    }

    @Test func headerSaysWhenThereIsNoGit() {
        var state = Fixtures.state()
        state.header = ConsoleHeader(workspace: "/srv/monorepo", actor: "ana")
        #expect(Console.render(state).lines[0].contains("/srv/monorepo  no git  actor: ana"))
    }

    @Test func tickAdvancesTheClock() {
        let (state, _) = Console.update(Fixtures.state(), .tick(Fixtures.now + 61))
        #expect(Console.render(state).lines[0].hasSuffix("09:31:13 UTC"))
    }

    @Test func showsTheReadOnlyBadge() {
        #expect(Console.render(Fixtures.state(readOnly: true)).lines[1].hasSuffix("read-only"))
        #expect(!Console.render(Fixtures.state()).text.contains("read-only"))
    }

    @Test func scrollsToKeepTheSelectionVisible() throws {
        let rows = (1...30).map { Fixtures.row("component-\($0)", "staging") }
        let state = Fixtures.pressing([.character("G")], in: Fixtures.state(rows: rows, size: TerminalSize(rows: 15, columns: 80)))
        let frame = Console.render(state)
        let last = try #require(frame.line(containing: "component-30")).row
        #expect(frame.reverseRows == [last])
        #expect(frame.line(containing: "component-1 ") == nil)
    }

    @Test func saysLoadingBeforeTheFirstLoad() {
        let state = ConsoleState(header: Fixtures.header, now: Fixtures.now)
        #expect(Console.render(state).lines[3] == "loading…")
    }

    @Test func explainsAnEmptyWorkspace() {
        #expect(Console.render(Fixtures.state(rows: [])).lines[3].hasPrefix("no components in /srv/monorepo"))
    }

    @Test func summarisesTheFleetOnTheScreenLine() {
        #expect(Console.render(Fixtures.state()).lines[1].contains("3 components, 3 environments"))
    }
}
