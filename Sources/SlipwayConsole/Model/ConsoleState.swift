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
    /// The text of a `:` command being typed.
    var command: String?
    var pending: PendingAction?
    var snapshot = ConsoleSnapshot()
    var header: ConsoleHeader
    /// False until the first load arrives, so an empty fleet is not mistaken for a loading one.
    var hasLoaded = false
    /// What the last thing done said. It belongs to the screen it was said on, and fades.
    var statusMessage: String? {
        didSet {
            statusScreen = screen
            statusSaidAt = now
        }
    }
    private(set) var statusScreen: ConsoleScreen?
    private(set) var statusSaidAt: Date?
    /// Seconds a status message stays on screen.
    static let statusLifetime: TimeInterval = 15

    /// The status line as the current screen shows it: only on the screen it is about, and only
    /// for `statusLifetime` (a hint such as "x retries it" means something else elsewhere).
    var shownStatus: String? {
        guard let message = statusMessage, statusScreen == screen, let said = statusSaidAt,
              now.timeIntervalSince(said) < Self.statusLifetime else { return nil }
        return message
    }
    /// Set while the console shows a past moment instead of now.
    var past: PastView?
    /// Why the last read of the store failed; cleared by the next good one.
    var loadProblem: String?
    var readOnly: Bool
    var shouldQuit = false
    var size: TerminalSize
    var now: Date
    var symbols: SymbolSet
    var bindings: [Binding]
    /// The component the component and releases screens show.
    var component: String?
    /// The environment `:env` chose: actions from the fleet screen apply to it.
    var environment: String?
    /// The releases screen's environment and tags.
    var releasesEnvironment: String?
    var releases: [ReleaseTag] = []
    var log: LogPane?
    /// The stages of the run selected on the runs screen, as the watcher last read them.
    var runStages: RunStages?
    /// What the detail screen shows: the alert or audit entry enter was pressed on.
    var detail: DetailPane?

    init(
        header: ConsoleHeader, readOnly: Bool = false, size: TerminalSize = TerminalSize(rows: 24, columns: 80),
        now: Date = Date(timeIntervalSince1970: 0), symbols: SymbolSet = .unicode, bindings: [Binding] = Bindings.all
    ) {
        self.header = header
        self.readOnly = readOnly
        self.size = size
        self.now = now
        self.symbols = symbols
        self.bindings = bindings
    }

    /// The moment what is shown stands for: now, or the past moment being viewed, so that ages
    /// ("firing since 5m ago") are those of that moment.
    var shownMoment: Date { past?.mark?.time ?? now }

    /// Changing actions are hidden and refused: in read-only mode, and in the past.
    var isReadOnlyNow: Bool { readOnly || past != nil }

    var rows: [FleetRow] { snapshot.rows }
    var runs: [RunRecord] { snapshot.runs }

    var screen: ConsoleScreen { screens.last ?? .fleet }

    /// The screen help describes: the one under it.
    var helpSubject: ConsoleScreen { screens.last { $0 != .help } ?? .fleet }

    var context: Binding.Context {
        if pending != nil { return .confirming }
        if command != nil { return .command }
        return isFiltering ? .filtering : .browsing
    }

    /// The current screen's cursor and filter.
    var list: ListState {
        get { lists[screen] ?? ListState() }
        set { lists[screen] = newValue }
    }

    var selection: Int { list.selection }

    /// How many lines fit between the header and the footer.
    var bodyRows: Int { max(1, size.rows - Self.chromeRows) }

    /// How many list lines show at once: the runs screen keeps the rows below its list for the
    /// selected run's stages, the health screen for the objectives.
    var pageSize: Int {
        switch screen {
        case .runs: runListHeight
        case .health: healthListHeight
        case .releases: releaseListHeight
        default: bodyRows
        }
    }

    /// The health screen keeps the lower half for the objectives.
    var healthListHeight: Int { min(max(1, visibleHealth.count), max(3, bodyRows / 2 - 1)) }

    /// The releases screen keeps the lower half for the highlighted release's diff.
    var releaseListHeight: Int { min(max(1, visibleReleases.count), max(3, bodyRows / 2 - 1)) }

    var runListHeight: Int { min(max(1, visibleRuns.count), max(3, bodyRows / 3)) }

    /// The drift screen's matrix, as the watcher last read it from the store and git.
    var drift: DriftReport?
    /// The release diff read last; shown only while it answers `diffRequest`.
    var diff: LoadedDiff?

    /// The run selected on the runs screen.
    var selectedRun: RunRecord? {
        let runs = visibleRuns
        let selection = lists[.runs]?.selection ?? 0
        return runs.indices.contains(selection) ? runs[selection] : nil
    }

    var environments: [String] { snapshot.environments }

    private func filter(_ screen: ConsoleScreen) -> String { lists[screen]?.filter ?? "" }

    var visibleComponents: [FleetComponent] {
        let filter = filter(.fleet)
        return filter.isEmpty ? snapshot.components : snapshot.components.filter { $0.matches(filter, hosts: snapshot.hosts) }
    }

    var visibleRuns: [RunRecord] {
        let filter = filter(.runs)
        guard !filter.isEmpty else { return runs }
        return runs.filter { run in
            [run.id, run.kind.rawValue, run.component, run.environment, run.version, run.state.rawValue, run.actor]
                .compactMap(\.self).contains { $0.localizedCaseInsensitiveContains(filter) }
        }
    }

    var visibleHealth: [FleetRow] {
        let filter = filter(.health)
        guard !filter.isEmpty else { return rows }
        return rows.filter { row in
            [row.component, row.environment, row.health.rawValue, row.liveColor ?? ""].contains {
                $0.localizedCaseInsensitiveContains(filter)
            }
        }
    }

    var visibleObjectives: [SLOLine] {
        let filter = filter(.health)
        return filter.isEmpty ? snapshot.objectives : snapshot.objectives.filter { $0.matches(filter) }
    }

    var visibleRecovery: [DatabaseBackupStatus] {
        let filter = filter(.health)
        return filter.isEmpty ? snapshot.recovery
            : snapshot.recovery.filter { [$0.component, $0.environment, $0.database].contains { $0.localizedCaseInsensitiveContains(filter) } }
    }

    var visibleProjections: [ProjectionRebuild] {
        let filter = filter(.health)
        return filter.isEmpty ? snapshot.projections
            : snapshot.projections.filter { [$0.component, $0.environment, $0.projection].contains { $0.localizedCaseInsensitiveContains(filter) } }
    }

    var visibleAudit: [AuditEntry] {
        let filter = filter(.audit)
        let entries = snapshot.events.compactMap(AuditEntry.init)
        return filter.isEmpty ? entries : entries.filter { $0.matches(filter) }
    }

    var visibleAlerts: [FiringAlert] {
        let filter = filter(.alerts)
        return filter.isEmpty ? snapshot.alerts : snapshot.alerts.filter { $0.matches(filter) }
    }

    /// The figures of the objective `alert` is about, when the store has them.
    func objective(of alert: FiringAlert) -> SLOLine? {
        snapshot.objectives.first {
            $0.component == alert.component && $0.environment == alert.environment && $0.status.objective.name == alert.objective
        }
    }

    var visibleDrift: [DriftReport.Component] {
        let filter = filter(.drift)
        let components = drift?.components ?? []
        return filter.isEmpty ? components : components.filter { $0.component.localizedCaseInsensitiveContains(filter) }
    }

    /// Requests awaiting approval and not yet past their time (ended by the next CLI or agent that looks).
    var visibleApprovals: [RequestRecord] {
        let filter = filter(.approvals)
        let open = snapshot.approvals.filter { ($0.expiresAt ?? .distantFuture) > now }
        guard !filter.isEmpty else { return open }
        return open.filter { [$0.id, $0.request.title, $0.actor].contains { $0.localizedCaseInsensitiveContains(filter) } }
    }

    /// The request selected on the approvals screen.
    var selectedApproval: RequestRecord? {
        let approvals = visibleApprovals
        let selection = lists[.approvals]?.selection ?? 0
        return approvals.indices.contains(selection) ? approvals[selection] : nil
    }

    var visibleReleases: [ReleaseTag] {
        let filter = filter(.releases)
        guard !filter.isEmpty else { return releases }
        return releases.filter { [$0.version, $0.commit ?? "", $0.actor].contains { $0.localizedCaseInsensitiveContains(filter) } }
    }

    var visibleBindings: [Binding] {
        let filter = filter(.help)
        let subject = helpSubject
        let shown = bindings.filter { binding in
            !(isReadOnlyNow && binding.action.isChanging)
                && (binding.context != .browsing || binding.applies(to: subject))
                && (binding.context != .browsing || roleRefusal(binding.action) == nil)
        }
        guard !filter.isEmpty else { return shown }
        return shown.filter {
            $0.keyLabel.localizedCaseInsensitiveContains(filter) || $0.description.localizedCaseInsensitiveContains(filter)
        }
    }

    /// The component screen's rows: the focused component in every environment.
    var componentRows: [FleetRow] { rows.filter { $0.component == component } }

    /// What identifies each line of `screen`'s list across reloads (run ids, component names,
    /// ...), in list order; nil for lists that only change when the operator changes them.
    func itemIDs(of screen: ConsoleScreen) -> [String]? {
        switch screen {
        case .fleet: visibleComponents.map(\.name)
        case .runs: visibleRuns.map(\.id)
        case .health: visibleHealth.map { "\($0.component)/\($0.environment)" }
        case .audit: visibleAudit.map { "\($0.time.timeIntervalSince1970) \($0.actor) \($0.action) \($0.component) \($0.environment) \($0.outcome)" }
        case .alerts: visibleAlerts.map { "\($0.component)/\($0.environment)/\($0.objective)/\($0.rule)" }
        case .component: componentRows.map(\.environment)
        case .releases: visibleReleases.map(\.version)
        case .drift: visibleDrift.map(\.component)
        case .approvals: visibleApprovals.map(\.id)
        case .help, .log, .detail: nil
        }
    }

    /// The number of lines in the current screen's list, after its filter.
    var itemCount: Int {
        switch screen {
        case .fleet: visibleComponents.count
        case .runs: visibleRuns.count
        case .health: visibleHealth.count
        case .audit: visibleAudit.count
        case .alerts: visibleAlerts.count
        case .detail: detail?.fields.count ?? 0
        case .help: visibleBindings.count
        case .component: componentRows.count
        case .releases: visibleReleases.count
        case .drift: visibleDrift.count
        case .approvals: visibleApprovals.count
        case .log: log?.lines.count ?? 0
        }
    }

    /// What the watcher should read besides the top screens.
    var focus: ConsoleFocus {
        var focus = ConsoleFocus()
        if screens.contains(.releases), let component, let environment = releasesEnvironment {
            focus.releases = ConsoleFocus.Releases(component: component, environment: environment)
        }
        if screen == .log { focus.log = log?.source }
        if screen == .runs { focus.run = selectedRun?.id }
        focus.diff = diffRequest
        focus.drift = screen == .drift
        return focus
    }

    /// What the confirmation waiting (a deploy or rollback), else the releases screen's
    /// highlighted release, would change.
    var diffRequest: ConsoleFocus.Diff? {
        if let pending, case .run(let request) = pending.request {
            switch request {
            case .deploy(let deploy):
                return ConsoleFocus.Diff(component: deploy.component, environment: deploy.environment, version: deploy.version)
            case .rollback(let rollback):
                // A rollback without a version goes to the one before the live one.
                let previous = snapshot.state(rollback.component, rollback.environment)?.previousVersions.first
                guard let version = rollback.version ?? previous else { return nil }
                return ConsoleFocus.Diff(component: rollback.component, environment: rollback.environment, version: version)
            case .switchTraffic, .promote, .migrate:
                return nil
            }
        }
        guard pending == nil, screen == .releases, let component, let environment = releasesEnvironment,
              visibleReleases.indices.contains(selection) else { return nil }
        return ConsoleFocus.Diff(component: component, environment: environment, version: visibleReleases[selection].version)
    }

    /// The loaded diff answering what is asked now, if it has arrived.
    var shownDiff: LoadedDiff? {
        guard let diff, let request = diffRequest, diff.request == request else { return nil }
        return diff
    }
}

/// What the store watcher reads for the screens below the top ones.
struct ConsoleFocus: Equatable, Sendable {
    struct Releases: Equatable, Sendable {
        var component: String
        var environment: String
    }

    var releases: Releases?
    var log: LogSource?
    /// The run whose stages the runs screen shows.
    var run: String?
    /// The release diff the releases screen or a confirmation shows.
    var diff: Diff?
    /// Whether the drift screen is open, so the watcher asks git.
    var drift = false

    /// A version of a component compared with the one live in an environment (nil: HEAD's version).
    struct Diff: Hashable, Sendable {
        var component: String
        var environment: String
        var version: String?
    }
}
