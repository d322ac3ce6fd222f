extension Console {
    /// The next state and the effects it needs. Pure: the runtime performs the effects.
    static func update(_ state: ConsoleState, _ message: ConsoleMessage) -> (ConsoleState, [ConsoleEffect]) {
        var state = state
        var effects: [ConsoleEffect] = []
        switch message {
        case .key(let key):
            effects = press(key, in: &state)
        case .resize(let rows, let columns):
            state.size = TerminalSize(rows: max(0, rows), columns: max(0, columns))
        case .tick(let date):
            state.now = date
        case .fleetLoaded(let rows, let runs, let header):
            state.rows = rows
            state.runs = runs
            state.header = header
            state.hasLoaded = true
            state.statusMessage = nil
        case .loadFailed(let reason):
            state.statusMessage = reason
        }
        clampSelection(in: &state)
        return (state, effects)
    }

    private static func press(_ key: ConsoleKey, in state: inout ConsoleState) -> [ConsoleEffect] {
        guard state.isFiltering else {
            guard let binding = Bindings.binding(for: key, in: .browsing) else { return [] }
            return perform(binding.action, in: &state)
        }
        if let binding = Bindings.binding(for: key, in: .filtering) {
            return perform(binding.action, in: &state)
        }
        // While filtering, every printable key is text (so `q` and `j` can be searched for).
        if case .character(let character) = key {
            if !character.isControl {
                state.list.filter.append(character)
                state.list.selection = 0
            }
            return []
        }
        if let binding = Bindings.binding(for: key, in: .browsing), binding.action.isMovement {
            return perform(binding.action, in: &state)
        }
        return []
    }

    private static func perform(_ action: ConsoleAction, in state: inout ConsoleState) -> [ConsoleEffect] {
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
        case .toggleHelp:
            if state.screen == .help { state.screens.removeLast() } else { state.screens.append(.help) }
        case .startFilter: state.isFiltering = true
        case .reload:
            state.statusMessage = "reloading" + state.symbols.ellipsis
            return [.reload]
        case .back:
            if !state.list.filter.isEmpty {
                state.list = ListState()
            } else if state.screens.count > 1 {
                state.screens.removeLast()
            }
        case .quit:
            state.shouldQuit = true
            return [.quit]
        case .applyFilter: state.isFiltering = false
        case .clearFilter:
            state.isFiltering = false
            state.list = ListState()
        case .deleteBackward:
            if !state.list.filter.isEmpty {
                state.list.filter.removeLast()
                state.list.selection = 0
            }
        }
        return []
    }

    /// Keeps every screen's cursor on a line that exists after the lists changed.
    private static func clampSelection(in state: inout ConsoleState) {
        let last = max(0, state.itemCount - 1)
        if state.selection > last { state.list.selection = last }
    }
}

private extension Character {
    var isControl: Bool { unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } }
}
