import Foundation
import SlipwayCore

/// Everything on screen, as a value: `update` makes the next one, `render` draws it.
struct ConsoleState: Equatable, Sendable {
    /// Lines above and below a list: two header lines, the column headings, status and footer.
    static let chromeRows = 5

    /// Never empty; the last one is on screen.
    var screens: [ConsoleScreen] = [.fleet]
    var lists: [ConsoleScreen: ListState] = [:]
    /// Whether keys are typed into the current screen's filter.
    var isFiltering = false
    var rows: [FleetRow] = []
    var runs: [RunRecord] = []
    var header: ConsoleHeader
    /// False until the first load arrives, so an empty fleet is not mistaken for a loading one.
    var hasLoaded = false
    var statusMessage: String?
    var readOnly: Bool
    var shouldQuit = false
    var size: TerminalSize
    var now: Date
    var symbols: SymbolSet

    init(
        header: ConsoleHeader, readOnly: Bool = false, size: TerminalSize = TerminalSize(rows: 24, columns: 80),
        now: Date = Date(timeIntervalSince1970: 0), symbols: SymbolSet = .unicode
    ) {
        self.header = header
        self.readOnly = readOnly
        self.size = size
        self.now = now
        self.symbols = symbols
    }

    var screen: ConsoleScreen { screens.last ?? .fleet }

    /// The current screen's cursor and filter.
    var list: ListState {
        get { lists[screen] ?? ListState() }
        set { lists[screen] = newValue }
    }

    var selection: Int { list.selection }

    /// How many list lines fit between the header and the footer.
    var pageSize: Int { max(1, size.rows - Self.chromeRows) }

    var environments: [String] { FleetComponent.environments(in: rows) }

    var visibleComponents: [FleetComponent] {
        let filter = lists[.fleet]?.filter ?? ""
        return FleetComponent.group(rows).filter { $0.matches(filter) }
    }

    var visibleRuns: [RunRecord] {
        let filter = lists[.runs]?.filter ?? ""
        guard !filter.isEmpty else { return runs }
        return runs.filter { run in
            [run.id, run.kind.rawValue, run.component, run.environment, run.version, run.state.rawValue, run.actor]
                .compactMap(\.self).contains { $0.localizedCaseInsensitiveContains(filter) }
        }
    }

    var visibleBindings: [Binding] {
        let filter = lists[.help]?.filter ?? ""
        guard !filter.isEmpty else { return Bindings.all }
        return Bindings.all.filter {
            $0.keyLabel.localizedCaseInsensitiveContains(filter) || $0.description.localizedCaseInsensitiveContains(filter)
        }
    }

    /// The number of lines in the current screen's list, after its filter.
    var itemCount: Int {
        switch screen {
        case .fleet: visibleComponents.count
        case .runs: visibleRuns.count
        case .help: visibleBindings.count
        }
    }
}
