import SlipwayCore
import Testing
@testable import SlipwayConsole

/// What each binding does to the state, through the pure `update`; changing actions also in
/// read-only mode and with their confirmations.
@Suite struct BindingUpdateTests {
    private func press(_ keys: [ConsoleKey], on screen: ConsoleScreen, readOnly: Bool = false) -> (ConsoleState, [ConsoleEffect]) {
        var state = RichFixtures.on(screen, RichFixtures.state(size: TerminalSize(rows: 24, columns: 120), readOnly: readOnly))
        var effects: [ConsoleEffect] = []
        for key in keys {
            let (next, produced) = Console.update(state, .key(key))
            state = next
            effects += produced
        }
        return (state, effects)
    }

    @Test func topScreenKeysSwitchScreens() {
        #expect(press([.character("2")], on: .component).0.screens == [.fleet, .runs])
        #expect(press([.character("3")], on: .fleet).0.screens == [.fleet, .health])
        #expect(press([.character("4")], on: .log).0.screens == [.fleet, .audit])
        #expect(press([.character("1")], on: .releases).0.screens == [.fleet])
    }

    @Test func enterDrillsDownAndEscGoesBack() {
        let component = press([.enter], on: .fleet).0
        #expect(component.screen == .component && component.component == "accounts")
        let releases = press([.character("j"), .enter], on: .component).0
        #expect(releases.screen == .releases && releases.releasesEnvironment == "staging")
        let log = press([.enter], on: .runs).0
        #expect(log.screen == .log && log.log?.source == .run("r20261129093000-0003"))
        #expect(press([.escape], on: .log).0.screen == .runs)
        #expect(press([.escape], on: .log).0.log == nil)
        #expect(press([.escape, .escape], on: .releases).0.screen == .fleet)
    }

    @Test func rOpensTheReleasesOfTheSelectedEnvironment() {
        let state = press([.character("j"), .character("j"), .character("r")], on: .component).0
        #expect(state.screen == .releases)
        #expect(state.focus.releases == ConsoleFocus.Releases(component: "accounts", environment: "production"))
    }

    @Test func rOnTheFleetNeedsAnEnvironment() {
        let (state, _) = press([.character("r")], on: .fleet)
        #expect(state.screen == .fleet)
        let chosen = Fixtures.pressing([.character(":")] + Fixtures.typing("env staging") + [.enter, .character("r")], in: RichFixtures.state())
        #expect(chosen.screen == .releases && chosen.releasesEnvironment == "staging")
    }

    @Test func lOpensTheLiveSlotsLog() {
        let state = press([.character("j"), .character("l")], on: .component).0
        #expect(state.screen == .log)
        #expect(state.log?.source == .slot(
            component: "accounts", environment: "staging", color: "green", path: "/srv/logs/accounts/staging/green.log"))
        #expect(state.focus.log == state.log?.source)
        let none = press([.character("l")], on: .component).0
        #expect(none.screen == .component && none.statusMessage == "no slot of accounts in development has a log")
    }

    @Test func switchNeedsYAndThenStartsSlipwaySwitch() {
        let (asking, none) = press([.character("j"), .character("s")], on: .component)
        #expect(none.isEmpty)
        #expect(asking.pending?.summary == "switch accounts in staging: green 3f9a2c1b7d4e -> blue 0c1d2e3f4a5b (a rollback)")
        #expect(Console.render(asking).text.contains("y/enter confirms"))
        let (_, effects) = Console.update(asking, .key(.character("y")))
        #expect(effects == [.request(.run(.switchTraffic(.init(component: "accounts", environment: "staging", color: nil))))])
        let (cancelled, nothing) = Console.update(asking, .key(.character("n")))
        #expect(nothing.isEmpty && cancelled.pending == nil && cancelled.statusMessage == "cancelled: nothing changed")
    }

    @Test func deployAndRollbackBuildTheirCommandLines() {
        let deploy = press([.character("j"), .character("d"), .enter], on: .component).1
        #expect(deploy == [.request(.run(.deploy(.init(component: "accounts", kind: .app, environment: "staging", version: nil, force: false))))])
        let rollback = press([.character("j"), .character("b"), .character("y")], on: .component).1
        #expect(rollback == [.request(.run(.rollback(.init(component: "accounts", environment: "staging", version: nil, force: false))))])
    }

    @Test func productionNeedsItsNameTyped() {
        let (asking, _) = press([.character("j"), .character("j"), .character("s")], on: .component)
        #expect(asking.pending?.needsTypedName == true)
        // `y` is text here, not a confirmation.
        let (typedY, yEffects) = Console.update(asking, .key(.character("y")))
        #expect(yEffects.isEmpty && typedY.pending?.typed == "y")
        let wrong = Fixtures.pressing(Fixtures.typing("prod"), in: asking)
        let (refused, none) = Console.update(wrong, .key(.enter))
        #expect(none.isEmpty && refused.pending == nil)
        #expect(refused.statusMessage == "not confirmed (typed 'prod', not 'production'): nothing changed")
        let typed = Fixtures.pressing(Fixtures.typing("productionx") + [.backspace], in: asking)
        let (_, effects) = Console.update(typed, .key(.enter))
        #expect(effects == [.request(.run(.switchTraffic(.init(component: "accounts", environment: "production", color: nil))))])
        #expect(Console.update(asking, .key(.escape)).0.pending == nil)
    }

    @Test(arguments: [ConsoleKey.character("d"), .character("s"), .character("b")])
    func readOnlyRefusesChangingKeys(key: ConsoleKey) {
        let (state, effects) = press([.character("j"), key], on: .component, readOnly: true)
        #expect(effects.isEmpty && state.pending == nil)
        #expect(state.statusMessage?.hasPrefix("read-only:") == true)
    }

    @Test func readOnlyRefusesRollbackFromReleasesAndRetryAndCommands() {
        let (releases, none) = press([.character("j"), .enter], on: .releases, readOnly: true)
        #expect(none.isEmpty && releases.pending == nil && releases.statusMessage?.hasPrefix("read-only:") == true)
        let (runs, _) = press([.character("j"), .character("x")], on: .runs, readOnly: true)
        #expect(runs.pending == nil && runs.statusMessage?.hasPrefix("read-only:") == true)
        let (command, _) = press([.character(":")] + Fixtures.typing("switch accounts staging") + [.enter], on: .fleet, readOnly: true)
        #expect(command.pending == nil && command.statusMessage == "read-only: switch is not allowed here (--read-only or read_only: true)")
    }

    @Test func enterOnAReleaseOffersRollingBackToIt() {
        let (asking, _) = press([.character("j"), .enter], on: .releases)
        #expect(asking.pending?.request == .run(.rollback(.init(component: "accounts", environment: "staging", version: "0c1d2e3f4a5b", force: false))))
        let live = press([.enter], on: .releases).0
        #expect(live.pending == nil && live.statusMessage == "3f9a2c1b7d4e is already live in staging")
    }

    @Test func retryAndRollbackOnAFinishedRun() {
        let (retry, _) = press([.character("j"), .character("x")], on: .runs)
        #expect(retry.pending?.request == .run(.deploy(.init(component: "landing-page", kind: .app, environment: "production", version: "3f9a2c1b7d4e", force: false))))
        let (rollback, _) = press([.character("j"), .character("b")], on: .runs)
        #expect(rollback.pending?.request == .run(.rollback(.init(component: "landing-page", environment: "production", version: nil, force: false))))
        let running = press([.character("x")], on: .runs).0
        #expect(running.pending == nil && running.statusMessage == "run r20261129093000-0003 is still running")
        let test = press([.character("G"), .character("x")], on: .runs).0
        #expect(test.statusMessage == "test runs are retried from the command line")
    }

    @Test func logPaneKeysToggleFollowWrapTimestampsAndSearch() {
        let (state, _) = press([.character("f"), .character("w"), .character("t")], on: .log)
        #expect(state.log?.follow == false && state.log?.wrap == true && state.log?.timestamps == true)
        let searched = press([.character("/")] + Fixtures.typing("deploy") + [.enter], on: .log).0
        #expect(searched.log?.search == "deploy" && searched.log?.top == 1 && searched.log?.follow == false)
        #expect(press([.character("/")] + Fixtures.typing("health") + [.enter, .character("n")], on: .log).0.log?.top == 2)
        var long = press([], on: .log).0
        let source = long.log!.source
        long = Console.update(long, .logLoaded(source, (0..<40).map { LogLine(time: nil, text: "line \($0)") }, replacing: false)).0
        let scrolled = Fixtures.pressing([.character("k")], in: long)
        #expect(scrolled.log?.follow == false && scrolled.log?.top == 43 - scrolled.pageSize - 1)
        #expect(Fixtures.pressing([.character("G")], in: scrolled).log?.follow == true)
    }

    @Test func commandModeCompletesAndRuns() {
        var state = press([.character(":")] + Fixtures.typing("sw"), on: .fleet).0
        state = Console.update(state, .key(.tab)).0
        #expect(state.command == "switch ")
        state = Fixtures.pressing(Fixtures.typing("a") + [.tab], in: state)
        #expect(state.command == "switch accounts ")
        state = Fixtures.pressing(Fixtures.typing("p") + [.tab], in: state)
        #expect(state.command == "switch accounts production ")
        let (asking, _) = Console.update(state, .key(.enter))
        #expect(asking.pending?.request == .run(.switchTraffic(.init(component: "accounts", environment: "production", color: nil))))
        #expect(Console.render(asking).text.contains("type 'production'"))
    }

    @Test func commandModeListsCandidatesAndReportsMistakes() {
        let listed = press([.character(":")] + Fixtures.typing("deploy accounts ") + [.tab], on: .fleet).0
        #expect(listed.statusMessage == "development  staging  production")
        let versions = press([.character(":")] + Fixtures.typing("rollback accounts staging ") + [.tab], on: .fleet).0
        #expect(versions.statusMessage == "3f9a2c1b7d4e  0c1d2e3f4a5b")
        let unique = press([.character(":")] + Fixtures.typing("rollback accounts production ") + [.tab], on: .fleet).0
        #expect(unique.command == "rollback accounts production 0c1d2e3f4a5b ")
        let unknown = press([.character(":")] + Fixtures.typing("deploy nobody staging") + [.enter], on: .fleet).0
        #expect(unknown.statusMessage == "no component 'nobody' (tab completes)")
        let cancelled = press([.character(":")] + Fixtures.typing("q") + [.escape], on: .fleet)
        #expect(cancelled.0.command == nil && cancelled.1.isEmpty)
        #expect(press([.character(":"), .character("q"), .enter], on: .fleet).1 == [.quit])
    }

    @Test func controlRReloadsAndQQuits() {
        #expect(press([.character("\u{12}")], on: .audit).1 == [.reload])
        #expect(press([.character("q")], on: .component).1 == [.quit])
    }

    @Test func filtersWorkOnTheDeeperScreens() {
        #expect(press([.character("/")] + Fixtures.typing("switch"), on: .audit).0.visibleAudit.count == 1)
        #expect(press([.character("/")] + Fixtures.typing("bo"), on: .releases).0.visibleReleases.map(\.version) == ["0c1d2e3f4a5b"])
        #expect(press([.character("/")] + Fixtures.typing("unhealthy"), on: .health).0.visibleHealth.map(\.component) == ["landing-page"])
    }

    @Test func remappedKeysReplaceTheirDefaults() {
        let bindings = Bindings.table(remapping: [.switchTraffic: [.character("S")], .quit: [.character("Q")]])
        var state = RichFixtures.state()
        state.bindings = bindings
        state = Fixtures.pressing([.enter, .character("j"), .character("s")], in: state)
        #expect(state.pending == nil)
        state = Console.update(state, .key(.character("S"))).0
        #expect(state.pending?.request.title.hasPrefix("switch") == true)
        #expect(Console.update(RichFixtures.state(), .key(.character("Q"))).1.isEmpty)
        var remapped = RichFixtures.state()
        remapped.bindings = bindings
        #expect(Console.update(remapped, .key(.character("Q"))).1 == [.quit])
    }

    @Test func anEngineFailureEndsTheConsole() {
        let (state, effects) = Console.update(RichFixtures.state(), .fatal("cannot read the store: disk I/O error"))
        #expect(state.shouldQuit && effects == [.fail("cannot read the store: disk I/O error")])
    }
}
