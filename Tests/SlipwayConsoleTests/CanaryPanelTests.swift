import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// A canary live on the component screen, and the promote, pause, resume and abort actions.
@Suite struct CanaryPanelTests {
    static let now = Fixtures.now
    static let policy = CanaryPolicy(steps: [5, 25, 50, 100], monitoringPeriod: 600, interval: 60, threshold: 2)

    static func check(_ verdict: CanaryAnalysis.Verdict, canaryFailures: Int = 0) -> CanaryAnalysis.Check {
        CanaryAnalysis.Check(
            verdict: verdict, canary: ColorInterval(requests: 120, failures: canaryFailures, p95Milliseconds: 45),
            stable: ColorInterval(requests: 360, failures: 0, p95Milliseconds: 40),
            reasons: verdict == .fail ? ["error rate 2.5% is not below 1%"] : [])
    }

    /// Ten passing minutes in step 1, then into step 2 for 150 s: one failed interval, one passed.
    static var progress: CanaryProgress {
        var progress = CanaryProgress(policy: policy, startedAt: now - 750)
        for minute in 1...10 { _ = progress.record(check(.pass), at: now - 750 + Double(minute * 60)) }
        _ = progress.record(check(.fail, canaryFailures: 3), at: now - 90)
        _ = progress.record(check(.pass), at: now - 30)
        return progress
    }

    static func record(_ progress: CanaryProgress, environment: String = "staging") -> CanaryRecord {
        CanaryRecord(
            component: "accounts", environment: environment, runID: "r20261129093000-0003", version: "3f9a2c1b7d4e",
            canaryColor: "green", stableColor: "blue", progress: progress, updatedAt: now - 30)
    }

    static func state(
        size: TerminalSize = TerminalSize(rows: 24, columns: 80), symbols: SymbolSet = .unicode, readOnly: Bool = false,
        progress: CanaryProgress = progress, environment: String = "staging", runState: RunState = .running
    ) -> ConsoleState {
        var snapshot = RichFixtures.snapshot
        snapshot.canaries = [CanaryPanel(record(progress, environment: environment), runState: runState)!]
        let initial = ConsoleState(header: Fixtures.header, readOnly: readOnly, size: size, now: now, symbols: symbols)
        return Fixtures.pressing([.enter], in: Console.update(initial, .loaded(snapshot, Fixtures.header)).0)
    }

    static let cases: [(TerminalSize, SymbolSet)] = [TerminalSize(rows: 24, columns: 80), TerminalSize(rows: 60, columns: 200)]
        .flatMap { size in [SymbolSet.unicode, .ascii].map { (size, $0) } }

    @Test func theFixtureIsInItsSecondStep() {
        let progress = Self.progress
        #expect(progress.stepIndex == 1 && progress.weight == 25 && progress.phase == .running)
        #expect(progress.timeLeftInStep(at: Self.now) == 450)
    }

    @Test(arguments: cases)
    func showsStepWeightsChecksAndTimeLeft(size: TerminalSize, symbols: SymbolSet) throws {
        let frame = Console.render(Self.state(size: size, symbols: symbols))
        let progress = Self.progress
        let title = try #require(frame.line(containing: "CANARY staging"))
        #expect(title.text == "CANARY staging: 3f9a2c1b7d4e in green, running, step 2 of 4 (5/25/50/100%)")
        let weights = try #require(frame.lines[(title.row + 1)...].first { $0.contains("blue 75% green 25%") })
        #expect(weights.contains("checks: \(progress.passed) passed, \(progress.failed) failed (rollback at 2)"), "\(weights)")
        #expect(weights.hasSuffix("7m30s left"), "\(weights)")
        // Issue 16 item 15: the rollout as a bar; three steps of 10 minutes before 100%, 12m30s gone.
        let rollout = try #require(frame.line(containing: "rollout")).text
        #expect(rollout.hasSuffix("41%  12m30s of 30m00s  17m30s left"), "\(rollout)")
        let bar = symbols == .unicode ? "▕" + String(repeating: "█", count: 12) + "▌" : "[" + String(repeating: "#", count: 12) + "-"
        #expect(rollout.contains(bar), "\(rollout)")
        #expect(frame.text.contains("P promote  p pause  u resume  A abort"))
        let heading = try #require(frame.line(containing: "VERDICT")).text
        #expect(heading.contains("CANARY green") && heading.contains("STABLE blue"))
        let newest = try #require(frame.line(containing: "#12")).text
        #expect(newest.split(separator: " ").joined(separator: " ") == "#12 pass 120 req 0.0% p95 45ms 360 req 0.0% p95 40ms")
        let failed = try #require(frame.line(containing: "#11")).text
        #expect(failed.contains("fail") && failed.contains("120 req  2.5%  p95 45ms"), "\(failed)")
        #expect(title.row < (frame.line(containing: "SLOTS")?.row ?? frame.rows), "the canary comes before the slots")
        if symbols == .ascii {
            let ascii = frame.text.allSatisfy { $0.isASCII }
            #expect(ascii, "\(frame.text)")
        }
    }

    @Test func theTimeLeftCountsDownWithTheClock() {
        let state = Console.update(Self.state(), .tick(Self.now + 65)).0
        let text = Console.render(state).text
        #expect(text.contains("6m25s left"))
        #expect(text.contains("13m35s of 30m00s  16m25s left"), "\(text)")
    }

    @Test func aPausedCanarySaysWhyAndAFinishedOneOffersNoKeys() throws {
        var paused = Self.progress
        _ = paused.pause(reason: "only 12 canary requests in the interval, fewer than min_requests 50")
        let text = Console.render(Self.state(progress: paused)).text
        #expect(text.contains("in green, paused, step 2 of 4"))
        #expect(text.contains("only 12 canary requests in the interval"))
        #expect(!text.contains(" left"), "a paused step does not count down")

        var rolledBack = Self.progress
        _ = rolledBack.rollBack(reason: "2 failed checks (threshold 2)")
        let over = Console.render(Self.state(progress: rolledBack, runState: .failed)).text
        #expect(over.contains("rolled_back") && over.contains("blue 100% green 0%"))
        #expect(!over.contains("P promote"))
        #expect(Console.render(Self.state(readOnly: true)).text.contains("P promote") == false)
    }

    @Test(arguments: [
        (ConsoleKey.character("P"), "promote", "promote the canary of accounts in staging: all traffic to green 3f9a2c1b7d4e"),
        (.character("p"), "pause", "pause the canary of accounts in staging at 25%"),
        (.character("u"), "resume", "resume the canary of accounts in staging"),
        (.character("A"), "abort", "abort the canary of accounts in staging: all traffic back to blue"),
    ])
    func eachActionIsConfirmedThenCommandsTheCanary(key: ConsoleKey, verb: String, summary: String) throws {
        let asked = Fixtures.pressing([.character("j"), key], in: Self.state())
        #expect(try #require(asked.pending).summary == summary)
        let (_, effects) = Console.update(asked, .key(.character("y")))
        #expect(effects == [.request(.canary(try #require(CanaryCommand.Kind(rawValue: verb)), component: "accounts", environment: "staging"))])
        let (cancelled, none) = Console.update(asked, .key(.escape))
        #expect(none.isEmpty && cancelled.pending == nil)
    }

    @Test func productionNeedsItsNameTyped() throws {
        let asked = Fixtures.pressing([.character("j"), .character("j"), .character("A")], in: Self.state(environment: "production"))
        #expect(try #require(asked.pending).needsTypedName)
        let (wrong, nothing) = Console.update(Fixtures.pressing(Fixtures.typing("prod") + [.enter], in: asked), .tick(Self.now))
        #expect(nothing.isEmpty && wrong.statusMessage?.hasPrefix("not confirmed") == true)
        let typed = Fixtures.pressing(Fixtures.typing("production"), in: asked)
        let (_, effects) = Console.update(typed, .key(.enter))
        #expect(effects == [.request(.canary(.abort, component: "accounts", environment: "production"))])
    }

    @Test func refusedInReadOnlyModeAndWithoutACanaryInProgress() {
        let readOnly = Fixtures.pressing([.character("j"), .character("P")], in: Self.state(readOnly: true))
        #expect(readOnly.pending == nil && readOnly.statusMessage?.hasPrefix("read-only: canary-promote") == true)
        let elsewhere = Fixtures.pressing([.character("P")], in: Self.state())
        #expect(elsewhere.pending == nil)
        #expect(elsewhere.statusMessage == "no canary of accounts is in progress in development")
        let over = Fixtures.pressing([.character("j"), .character("p")], in: Self.state(runState: .succeeded))
        #expect(over.pending == nil && over.statusMessage == "no canary of accounts is in progress in staging")
    }

    @Test func helpListsTheCanaryKeysOnTheComponentScreen() {
        let help = Console.render(Fixtures.pressing([.character("?")], in: Self.state(size: TerminalSize(rows: 60, columns: 120)))).text
        for (key, verb) in [("P", "promote"), ("p", "pause"), ("u", "resume"), ("A", "abort")] {
            let line = help.split(separator: "\n").first { $0.hasPrefix("\(key) ") && $0.contains("canary: \(verb)") }
            #expect(line?.contains("canary-\(verb)") == true, "\(help)")
        }
    }
}
