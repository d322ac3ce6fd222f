extension Console {
    /// The next state and the effects it needs. Pure: the runtime performs the effects.
    static func update(_ state: ConsoleState, _ message: ConsoleMessage) -> (ConsoleState, [ConsoleEffect]) {
        var state = state
        var effects: [ConsoleEffect] = []
        switch message {
        case .key(let key):
            let (screen, selection) = (state.screen, state.selection)
            effects = press(key, in: &state)
            // Once the operator moves, what arrived above is no longer news.
            if state.screen == screen, state.selection != selection { state.list.arrivedAbove = 0 }
        case .resize(let rows, let columns):
            state.size = TerminalSize(rows: max(0, rows), columns: max(0, columns))
        case .tick(let date):
            state.now = date
        case .loaded(let snapshot, let header):
            // In the past view, now is kept for the way back; the screens stay at their moment.
            if state.past != nil {
                state.past?.present = snapshot
            } else {
                replaceSnapshot(with: snapshot, in: &state)
            }
            state.header = header
            state.hasLoaded = true
            state.loadProblem = nil
            if state.statusMessage?.hasPrefix("reloading") == true { state.statusMessage = nil }
        case .releasesLoaded(let component, let environment, let tags):
            // Read again at every store change: a release tagged meanwhile must not move the
            // highlight, or Enter would offer to roll back to another release than the one chosen.
            guard state.component == component, state.releasesEnvironment == environment else { break }
            keepingSelection(in: &state) { $0.releases = tags }
        case .logLoaded(let source, let lines, let replacing):
            if state.log?.source == source { state.log?.receive(lines, replacing: replacing) }
        case .runEventsLoaded(let runID, let events):
            let shown = state.past?.mark.map { mark in events.filter { $0.id <= mark.id } } ?? events
            state.runStages = RunStages(runID: runID, events: shown)
        case .diffLoaded(let diff):
            state.diff = diff
        case .driftLoaded(let report):
            keepingSelection(in: &state) { $0.drift = report }
        case .pastLoaded(let target, let mark, let snapshot):
            receivePast(target, mark, snapshot, in: &state)
        case .loadFailed(let reason):
            state.loadProblem = reason
        case .actionStarted(let reason):
            state.statusMessage = reason
        case .fatal(let reason):
            state.statusMessage = reason
            state.shouldQuit = true
            effects = [.fail(reason)]
        }
        clampSelection(in: &state)
        return (state, effects)
    }

    private static func press(_ key: ConsoleKey, in state: inout ConsoleState) -> [ConsoleEffect] {
        let context = state.context
        if let binding = state.bindings.binding(for: key, in: context, on: state.screen),
           !(context == .confirming && state.pending?.takesText == true && key.isText) {
            return perform(binding.action, in: &state)
        }
        guard case .character(let character) = key, !character.isControl else {
            // Movement keeps working while a filter is typed, so the operator can pick a match.
            if context == .filtering, let binding = state.bindings.binding(for: key, in: .browsing, on: state.screen),
               binding.action.isMovement {
                return perform(binding.action, in: &state)
            }
            return []
        }
        // While typing, every printable key is text (so `q` and `j` can be searched for).
        switch context {
        case .filtering:
            if state.screen == .log {
                state.log?.search.append(character)
            } else {
                state.list.filter.append(character)
                state.list.selection = 0
            }
        case .command:
            state.command?.append(character)
        case .confirming:
            if state.pending?.takesText == true {
                state.pending?.typed.append(character)
            } else {
                state.pending = nil
                state.statusMessage = "cancelled: nothing changed"
            }
        case .browsing:
            break
        }
        return []
    }

    private static func perform(_ action: ConsoleAction, in state: inout ConsoleState) -> [ConsoleEffect] {
        if action.isChanging, state.readOnly {
            state.statusMessage = readOnlyRefusal(action.rawValue)
            return []
        }
        if action.isChanging, state.past != nil {
            state.statusMessage = PastView.refusal(action.rawValue)
            return []
        }
        if let refusal = state.roleRefusal(action) {
            state.statusMessage = refusal
            return []
        }
        if state.screen == .log, action.isMovement {
            scrollLog(action, in: &state)
            return []
        }
        let last = max(0, state.itemCount - 1)
        switch action {
        case .moveDown: state.list.selection = min(state.selection + 1, last)
        case .moveUp: state.list.selection = max(state.selection - 1, 0)
        case .moveToTop: state.list.selection = 0
        case .moveToBottom: state.list.selection = last
        case .pageDown: state.list.selection = min(state.selection + state.pageSize, last)
        case .pageUp: state.list.selection = max(state.selection - state.pageSize, 0)
        case .showFleet: state.screens = [.fleet]
        case .showRuns: state.screens = [.fleet, .runs]
        case .showHealth: state.screens = [.fleet, .health]
        case .showAudit: state.screens = [.fleet, .audit]
        case .showAlerts: state.screens = [.fleet, .alerts]
        case .showDrift: state.screens = [.fleet, .drift]
        case .showApprovals: state.screens = [.fleet, .approvals]
        case .travel, .stepBack, .stepForward: return travel(action, in: &state)
        case .toggleHelp:
            if state.screen == .help { state.screens.removeLast() } else { state.screens.append(.help) }
        case .open, .showDetails: open(in: &state)
        case .showReleases: showReleases(in: &state)
        case .deploy, .switchTraffic, .rollback, .retry: propose(action, in: &state)
        case .logs: showLogs(in: &state)
        case .canaryPromote, .canaryPause, .canaryResume, .canaryAbort: proposeCanary(action, in: &state)
        case .approve, .deny: proposeDecision(action, in: &state)
        case .toggleFollow:
            if var log = state.log {
                log.follow.toggle()
                if !log.follow { log.top = max(0, log.lines.count - state.pageSize) }
                state.log = log
            }
        case .toggleWrap: state.log?.wrap.toggle()
        case .toggleTimestamps: state.log?.timestamps.toggle()
        case .nextMatch: jumpToMatch(in: &state)
        case .startFilter:
            state.isFiltering = true
            if state.screen == .log { state.log?.search = "" }
        case .startCommand:
            state.command = ""
            state.statusMessage = nil
        case .reload:
            state.statusMessage = "reloading" + state.symbols.ellipsis
            return [.reload]
        case .back: return back(in: &state)
        case .quit:
            state.shouldQuit = true
            return [.quit]
        case .applyFilter:
            state.isFiltering = false
            if state.screen == .log { jumpToMatch(in: &state) }
        case .clearFilter:
            state.isFiltering = false
            if state.screen == .log { state.log?.search = "" } else { state.list = ListState() }
        case .deleteBackward: deleteBackward(in: &state)
        case .runCommand: return runCommand(in: &state)
        case .completeCommand: complete(in: &state)
        case .cancelCommand:
            state.command = nil
            state.statusMessage = nil
        case .confirm: return confirm(in: &state)
        case .cancelConfirmation:
            state.pending = nil
            state.statusMessage = "cancelled: nothing changed"
        }
        return []
    }

    private static func back(in state: inout ConsoleState) -> [ConsoleEffect] {
        if state.screen == .log, state.log?.search.isEmpty == false {
            state.log?.search = ""
        } else if !state.list.filter.isEmpty {
            state.list = ListState()
        } else if state.past != nil, state.screen != .help, state.screen != .log {
            return returnToNow(in: &state)
        } else if state.screens.count > 1 {
            let leaving = state.screens.removeLast()
            if leaving == .log { state.log = nil }
            if leaving == .releases { state.releases = [] }
            if leaving == .detail { state.detail = nil }
        }
        return []
    }

    private static func deleteBackward(in state: inout ConsoleState) {
        switch state.context {
        case .command:
            if state.command?.isEmpty == false { state.command?.removeLast() }
        case .confirming:
            if state.pending?.typed.isEmpty == false { state.pending?.typed.removeLast() }
        default:
            if state.screen == .log {
                if state.log?.search.isEmpty == false { state.log?.search.removeLast() }
            } else if !state.list.filter.isEmpty {
                state.list.filter.removeLast()
                state.list.selection = 0
            }
        }
    }

    // MARK: Drilling down

    private static func open(in state: inout ConsoleState) {
        switch state.screen {
        case .fleet:
            guard let component = selectedComponent(in: state) else { return }
            state.component = component
            state.lists[.component] = ListState()
            state.screens.append(.component)
        case .runs:
            guard state.visibleRuns.indices.contains(state.selection) else { return }
            let run = state.visibleRuns[state.selection]
            state.log = LogPane(source: .run(run.id))
            state.screens.append(.log)
            if run.state == .interrupted || run.state == .failed {
                state.statusMessage = "run \(run.state.rawValue): x retries it, b rolls back"
            }
        case .component:
            showReleases(in: &state)
        case .alerts:
            let alerts = state.visibleAlerts
            guard alerts.indices.contains(state.selection) else { return }
            let alert = alerts[state.selection]
            showDetail(DetailPane(alert, objective: state.objective(of: alert), now: state.shownMoment), in: &state)
        case .audit:
            let entries = state.visibleAudit
            guard entries.indices.contains(state.selection) else { return }
            showDetail(DetailPane(entries[state.selection]), in: &state)
        default:
            break
        }
    }

    private static func showDetail(_ detail: DetailPane, in state: inout ConsoleState) {
        state.detail = detail
        state.lists[.detail] = ListState()
        state.screens.append(.detail)
    }

    private static func showReleases(in state: inout ConsoleState) {
        guard let (component, environment) = target(in: state) else { return }
        state.component = component
        state.releasesEnvironment = environment
        state.releases = []
        state.lists[.releases] = ListState()
        state.screens.append(.releases)
    }

    private static func showLogs(in state: inout ConsoleState) {
        guard let (component, environment) = target(in: state) else { return }
        let live = state.snapshot.state(component, environment)?.liveColor
        let slots = state.snapshot.slots(component, environment)
        guard let slot = slots.first(where: { $0.color == live }) ?? slots.first else {
            state.statusMessage = "no slot of \(component) in \(environment) has a log"
            return
        }
        state.log = LogPane(source: .slot(
            component: component, environment: environment, color: slot.color, path: slot.logPath))
        state.screens.append(.log)
    }

    private static func selectedComponent(in state: ConsoleState) -> String? {
        let components = state.visibleComponents
        return components.indices.contains(state.lists[.fleet]?.selection ?? 0)
            ? components[state.lists[.fleet]?.selection ?? 0].name : nil
    }

    /// The component and environment an action on the current screen applies to: the
    /// component screen's selected row, or the fleet's selected component in the `:env` environment.
    static func target(in state: ConsoleState) -> (component: String, environment: String)? {
        switch state.screen {
        case .component:
            let rows = state.componentRows
            guard rows.indices.contains(state.selection) else { return nil }
            return (rows[state.selection].component, rows[state.selection].environment)
        case .fleet:
            guard let component = selectedComponent(in: state) else { return nil }
            guard let environment = state.environment else { return nil }
            return (component, environment)
        default:
            return nil
        }
    }

    // MARK: Log pane

    private static func scrollLog(_ action: ConsoleAction, in state: inout ConsoleState) {
        guard var log = state.log else { return }
        let last = max(0, log.lines.count - state.pageSize)
        let top = log.follow ? last : log.top
        log.top = switch action {
        case .moveDown: min(top + 1, last)
        case .moveUp: max(top - 1, 0)
        case .pageDown: min(top + state.pageSize, last)
        case .pageUp: max(top - state.pageSize, 0)
        case .moveToTop: 0
        default: last
        }
        // Scrolling up stops following; going to the end starts it again, as in `less +F`.
        log.follow = action == .moveToBottom || (log.follow && log.top == last)
        state.log = log
    }

    private static func jumpToMatch(in state: inout ConsoleState) {
        guard let log = state.log, !log.search.isEmpty else { return }
        guard let match = log.nextMatch() else {
            state.statusMessage = "no line contains '\(log.search)'"
            return
        }
        state.log?.follow = false
        state.log?.top = match
    }

    /// Makes `change` to what the lists show, keeping every list's selection on the item it was
    /// on (a run, not a row number) and counting what arrived above it, so `b` or `x` never acts
    /// on another item than the one highlighted.
    static func keepingSelection(in state: inout ConsoleState, _ change: (inout ConsoleState) -> Void) {
        let before = selectedItems(in: state)
        change(&state)
        keepSelection(on: before, in: &state)
    }

    /// Each list's selected item, by id, with its place.
    private static func selectedItems(in state: ConsoleState) -> [ConsoleScreen: (id: String, index: Int)] {
        var selected: [ConsoleScreen: (id: String, index: Int)] = [:]
        for (screen, list) in state.lists {
            guard let ids = state.itemIDs(of: screen), ids.indices.contains(list.selection) else { continue }
            selected[screen] = (ids[list.selection], list.selection)
        }
        return selected
    }

    /// Puts every list's selection back on the item it was on, where that item moved.
    private static func keepSelection(on before: [ConsoleScreen: (id: String, index: Int)], in state: inout ConsoleState) {
        for (screen, item) in before {
            guard let ids = state.itemIDs(of: screen), let index = ids.firstIndex(of: item.id), index != item.index else { continue }
            state.lists[screen]?.selection = index
            state.lists[screen]?.arrivedAbove += max(0, index - item.index)
        }
    }

    private static func clampSelection(in state: inout ConsoleState) {
        let last = max(0, state.itemCount - 1)
        if state.selection > last { state.list.selection = last }
    }
}

extension ConsoleKey {
    /// Whether the key types a character (rather than acting) while text is being typed.
    var isText: Bool {
        if case .character(let character) = self { return !character.isControl }
        return false
    }
}

extension Character {
    var isControl: Bool { unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } }
}
