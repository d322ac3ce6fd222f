import SlipwayCore

extension Console {
    /// Rows above the list: the header line, the screen line and the column headings.
    private static let listTop = 3

    /// The whole screen for `state`. Pure, so tests assert on it as text.
    static func render(_ state: ConsoleState) -> Frame {
        var frame = Frame(rows: state.size.rows, columns: state.size.columns)
        guard !state.size.isTooSmall else {
            let minimum = TerminalSize.minimum
            let message = "terminal too small (need \(minimum.columns)x\(minimum.rows))"
            frame.put(message, row: frame.rows / 2, column: max(0, (frame.columns - message.count) / 2))
            return frame
        }
        drawHeader(state, into: &frame)
        drawScreenLine(state, into: &frame)
        switch state.screen {
        case .component:
            ComponentView(state: state).draw(into: &frame, top: listTop)
        case .runs:
            drawList(listView(for: state), state, into: &frame)
            if let run = state.selectedRun {
                let top = listTop + state.runListHeight + 1
                RunStagesView(run: run, stages: state.runStages, now: state.now, symbols: state.symbols)
                    .draw(into: &frame, top: top, height: frame.rows - 2 - top)
            }
        case .health:
            drawList(listView(for: state), state, into: &frame)
            let remarksTop = listTop + state.healthListHeight + 1
            let top = remarksTop + PlatformRemarks(rows: state.visibleHealth, snapshot: state.snapshot, symbols: state.symbols)
                .draw(into: &frame, top: remarksTop, height: min(4, frame.rows - 2 - remarksTop))
            let selected = state.visibleHealth.indices.contains(state.selection) ? state.visibleHealth[state.selection] : nil
            let recovery = RecoveryTable(statuses: state.visibleRecovery, symbols: state.symbols)
            let recoveryTop = frame.rows - 2 - recovery.height(within: frame.rows - 2 - top)
            let projections = ProjectionTable(rebuilds: state.visibleProjections, symbols: state.symbols)
            let projectionsTop = recoveryTop - projections.height(within: recoveryTop - top)
            SLOTable(lines: state.visibleObjectives, symbols: state.symbols)
                .draw(into: &frame, top: top, height: projectionsTop - top,
                      following: selected.map { ($0.component, $0.environment) })
            projections.draw(into: &frame, top: projectionsTop, height: recoveryTop - projectionsTop)
            recovery.draw(into: &frame, top: recoveryTop, height: frame.rows - 2 - recoveryTop)
        case .releases:
            drawList(listView(for: state), state, into: &frame)
            let top = listTop + state.releaseListHeight + 1
            ReleaseDiffView(diff: state.shownDiff, live: state.component.flatMap { component in
                state.releasesEnvironment.flatMap { state.snapshot.state(component, $0)?.liveVersion }
            }).draw(into: &frame, top: top, height: frame.rows - 2 - top)
        case .log:
            if let log = state.log {
                LogView(log: log, symbols: state.symbols, build: buildProgress(of: log, in: state), now: state.now)
                    .draw(into: &frame, top: listTop, height: state.pageSize)
            }
        case .detail:
            if let detail = state.detail {
                DetailView(detail: detail, selection: state.selection).draw(into: &frame, top: listTop, height: state.pageSize)
            }
        default:
            drawList(listView(for: state), state, into: &frame)
        }
        drawStatus(state, into: &frame)
        drawFooter(state, into: &frame)
        return frame
    }

    private static func listView(for state: ConsoleState) -> any ListView {
        let width = state.size.columns
        switch state.screen {
        case .fleet:
            return FleetTable(
                components: state.visibleComponents, lengths: state.snapshot.textLengths,
                environments: state.environments, symbols: state.symbols, workspace: state.header.workspace,
                width: width, preferred: state.environment, alerts: state.snapshot.alerts, hosts: state.snapshot.hosts)
        case .runs:
            return RunsTable.make(state.visibleRuns, symbols: state.symbols, width: width)
        case .health:
            return HealthTable.make(state.visibleHealth, snapshot: state.snapshot, now: state.shownMoment, symbols: state.symbols, width: width)
        case .audit:
            return AuditTable.make(state.visibleAudit, symbols: state.symbols, width: width)
        case .alerts:
            return AlertsTable.make(
                state.visibleAlerts, objective: state.objective(of:), now: state.shownMoment, symbols: state.symbols, width: width)
        case .drift:
            return DriftTable.make(
                state.visibleDrift, environments: state.environments, symbols: state.symbols,
                emptyMessage: state.drift == nil ? "reading git" + state.symbols.ellipsis : "no components", width: width)
        case .releases:
            return ReleasesTable.make(
                state.visibleReleases, component: state.component ?? "", environment: state.releasesEnvironment ?? "",
                snapshot: state.snapshot, symbols: state.symbols, width: width)
        case .approvals:
            return ApprovalsTable.make(state.visibleApprovals, now: state.now, symbols: state.symbols, width: width)
        case .help, .component, .log, .detail:
            return HelpTable(bindings: state.visibleBindings)
        }
    }

    /// `slipway  <workspace>  main@1a2b3c4  actor: ana  agent: down          09:30:12 UTC`
    private static func drawHeader(_ state: ConsoleState, into frame: inout Frame) {
        if let past = state.past {
            drawPastHeader(past, state, into: &frame)
            return
        }
        let header = state.header
        let clock = "\(TimeText.clock(state.now)) UTC"
        let revision: String = switch (header.branch, header.commit.map { String($0.prefix(7)) }) {
        case (nil, nil): "no git"
        case (let branch?, let commit): "\(branch)@\(commit ?? "-")"
        case (nil, let commit?): "detached@\(commit)"
        }
        let limit = frame.columns - clock.count - 1
        // Whole segments are left out from the right, and the path is cut, to keep the clock.
        var details = ""
        let skipped = header.skipped.isEmpty ? [] : ["  \(state.symbols.alarm) skipped: \(header.skipped.joined(separator: ", "))"]
        for segment in skipped + ["  \(revision)", "  actor: \(header.actor)", "  agent: \(header.agent)"] {
            guard "slipway  ".count + 16 + details.count + segment.count <= limit else { break }
            details += segment
        }
        let pathWidth = max(8, limit - "slipway  ".count - details.count)
        var x = frame.put("slipway", row: 0, column: 0, width: min(limit, 9), style: .colored(.title, .bold))
        let path = TextLayout.truncateLeading(header.workspace, to: pathWidth, ellipsis: state.symbols.ellipsis)
        x = frame.put(path, row: 0, column: x, width: max(0, min(path.count, limit - x)))
        frame.put(details, row: 0, column: x, width: max(0, limit - x))
        frame.put(clock, row: 0, column: frame.columns - clock.count, style: .bold)
    }

    /// `◷ PAST 2026-12-03 14:05:10 UTC — esc returns to now  event #812  [ ] step`, in reverse
    /// video over the whole line; the clock of now only where it fits.
    private static func drawPastHeader(_ past: PastView, _ state: ConsoleState, into frame: inout Frame) {
        let symbols = state.symbols
        let moment = past.mark.map { "\(TimeText.dateTime($0.time)) UTC" } ?? "loading\(symbols.ellipsis)"
        var text = "\(symbols.past) PAST \(moment) \(symbols.dash) esc returns to now"
        let loading = past.isLoading && past.mark != nil ? "  loading\(symbols.ellipsis)" : ""
        for segment in [past.mark.map { "  event #\($0.id)" } ?? "", loading, "  [ ] step  :at TIME"]
            where text.count + segment.count <= frame.columns {
            text += segment
        }
        let style = CellStyle.colored(.inProgress, .reverse)
        frame.put(String(repeating: " ", count: frame.columns), row: 0, column: 0, style: style)
        frame.put(text, row: 0, column: 0, width: frame.columns, style: style)
        let clock = "now \(TimeText.clock(state.now)) UTC"
        if text.count + clock.count + 2 <= frame.columns {
            frame.put(clock, row: 0, column: frame.columns - clock.count, style: style)
        }
    }

    /// The screens as tabs, what the current one holds, and the read-only badge.
    private static func drawScreenLine(_ state: ConsoleState, into frame: inout Frame) {
        let tabs: [(ConsoleScreen, ConsoleAction)] = [
            (.fleet, .showFleet), (.runs, .showRuns), (.health, .showHealth), (.audit, .showAudit), (.alerts, .showAlerts),
            (.drift, .showDrift), (.approvals, .showApprovals), (.help, .toggleHelp),
        ]
        let badge = state.readOnly ? "read-only" : ""
        // Firing alerts before the summary's end: they must show at any width.
        let alerts = state.snapshot.alerts
        var alarm = alerts.isEmpty ? "" : "\(state.symbols.alarm) \(alerts.count) alert\(alerts.count == 1 ? "" : "s") firing"
        // Requests someone waits on are said on every screen, like firing alerts.
        let awaiting = state.visibleApprovals.count
        if awaiting > 0 { alarm += (alarm.isEmpty ? "" : "  ") + "\(state.symbols.waiting) \(awaiting) awaiting approval" }
        let right = badge.count + (alarm.isEmpty ? 0 : alarm.count + 2)
        // The summary ends a blank before what is on the right.
        let rightRoom = right + (right > 0 ? 1 : 0)
        let current = state.screens.last { ConsoleScreen.top.contains($0) || $0 == .help } ?? .fleet
        // The drift tab only where there is room for it beside the summary (its key works anyway).
        // The approvals tab while requests await approval or it is open.
        let labels = tabs.filter { screen, _ in
            (screen != .drift || current == .drift || frame.columns >= 100)
                && (screen != .approvals || current == .approvals || awaiting > 0)
        }.map { screen, action in
            (screen, state.bindings.first { $0.action == action }?.footerLabel ?? "")
        }
        // When the tabs, the summary and the alarm do not fit, only the current tab keeps its
        // name: the summary says what the screen holds and the alarm what is wrong.
        let summary = summary(of: state)
        let wide = labels.reduce(0) { $0 + $1.1.count + $1.0.title.count + 2 } + 1 + summary.count + rightRoom <= frame.columns
        var x = 0
        for (screen, key) in labels {
            let style: CellStyle = screen == current ? .colored(.title, .bold) : .dim
            x = frame.put(wide || screen == current ? "\(key) \(screen.title)" : key, row: 1, column: x, style: style)
            x = frame.put(" ", row: 1, column: x)
        }
        frame.put(summary, row: 1, column: x + 1, width: max(0, frame.columns - rightRoom - x - 1))
        let alarmStyle: CellStyle = alerts.first?.severity == .page ? .colored(.unhealthy, .bold) : .colored(.inProgress, .bold)
        frame.put(alarm, row: 1, column: frame.columns - right, style: alarmStyle)
        frame.put(badge, row: 1, column: frame.columns - badge.count, style: .colored(.inProgress, .bold))
    }

    private static func summary(of state: ConsoleState) -> String {
        let arrived = state.list.arrivedAbove
        return listSummary(of: state) + (arrived > 0 ? ", \(arrived) new above" : "")
    }

    private static func listSummary(of state: ConsoleState) -> String {
        switch state.screen {
        case .fleet:
            let total = state.snapshot.components.count
            let shown = state.visibleComponents.count
            let components = shown == total ? "\(total) components" : "\(shown) of \(total) components"
            // Releases waiting for a switch come first, so 80 columns still show them.
            let waiting = state.snapshot.waitingForSwitch
            let releases = waiting == 0 ? "" : "\(waiting) \(state.symbols.waiting) waiting for switch, "
            // After `:env`, the fleet's actions go to that environment: say so where they are taken.
            let target = state.environment.map { ", actions go to \($0)" } ?? ""
            return "\(releases)\(components), \(state.environments.count) environments\(target)"
        case .runs:
            let shown = state.visibleRuns.count
            return shown == state.runs.count ? "\(shown) runs" : "\(shown) of \(state.runs.count) runs"
        case .health:
            var reporting = state.snapshot.metrics == nil ? "agent down: no router counts" : "router counts from the agent"
            if !state.snapshot.platform.isEmpty { reporting += ", cloud figures from the platforms' metrics" }
            return "\(state.visibleHealth.count) deployments, \(reporting)"
        case .audit:
            return "\(state.visibleAudit.count) actions"
        case .alerts:
            let shown = state.visibleAlerts.count
            let total = state.snapshot.alerts.count
            return shown == total ? "\(total) firing" : "\(shown) of \(total) firing"
        case .detail:
            return "\(state.detail?.fields.count ?? 0) fields, esc goes back"
        case .drift:
            guard let drift = state.drift else { return "reading git" + state.symbols.ellipsis }
            let unreleased = drift.components.filter { !$0.unreleased.isEmpty }.count
            let count = drift.components.count
            return "\(count) component\(count == 1 ? "" : "s") against git, \(unreleased) with commits on \(drift.branch) in no environment"
        case .approvals:
            let count = state.visibleApprovals.count
            return "\(count) request\(count == 1 ? "" : "s") awaiting approval, oldest first"
        case .help:
            return "keys of the \(state.helpSubject.title) screen"
        case .component:
            return "\(state.component ?? "") in \(state.environments.count) environments"
        case .releases:
            return "\(state.component ?? "") in \(state.releasesEnvironment ?? ""): \(state.releases.count) releases"
        case .log:
            return "\(state.log?.lines.count ?? 0) lines"
        }
    }

    /// The list scrolled so the selection shows, the selected line in reverse video.
    private static func drawList(_ list: any ListView, _ state: ConsoleState, into frame: inout Frame) {
        list.drawHeading(into: &frame, row: listTop - 1)
        guard list.count > 0 else {
            let message: String
            if !state.hasLoaded && state.screen != .help {
                message = "loading" + state.symbols.ellipsis
            } else if !state.list.filter.isEmpty {
                message = "nothing matches /\(state.list.filter)"
            } else {
                message = list.emptyMessage
            }
            frame.put(message, row: listTop, column: 0, style: .dim)
            return
        }
        // What did not fit takes the list's last line, so it is said on every page.
        let note = list.hiddenNote
        let rows = max(1, state.pageSize - (note == nil ? 0 : 1))
        let selection = min(max(0, state.selection), list.count - 1)
        let first = max(0, selection - rows + 1)
        let last = min(list.count, first + rows)
        for index in first..<last {
            let row = listTop + index - first
            list.drawItem(at: index, into: &frame, row: row)
            if index == selection { frame.highlight(row: row) }
        }
        if let note {
            frame.put(TextLayout.truncate(note, to: frame.columns, ellipsis: state.symbols.ellipsis),
                      row: listTop + last - first, column: 0, style: .dim)
        }
    }

    /// A running run's build, from the newest step count in its output (`[12/40]`, `Step 3/10`).
    static func buildProgress(of log: LogPane, in state: ConsoleState) -> WorkProgress? {
        guard case .run(let id) = log.source, let run = state.snapshot.runs.first(where: { $0.id == id }), run.state == .running,
              let steps = log.buildSteps, steps.done < steps.total
        else { return nil }
        return WorkProgress(done: Double(steps.done), total: Double(steps.total), measure: .items("steps"), startedAt: run.startedAt)
    }

    private static func drawStatus(_ state: ConsoleState, into frame: inout Frame) {
        let row = frame.rows - 2
        if let pending = state.pending {
            let style: CellStyle = pending.needsTypedName ? .colored(.unhealthy, .bold) : .colored(.inProgress, .bold)
            frame.put(pending.prompt(diff: state.shownDiff, width: frame.columns, ellipsis: state.symbols.ellipsis),
                      row: row, column: 0, style: style)
        } else if let command = state.command {
            let x = frame.put(":\(command)_", row: row, column: 0, style: .bold)
            frame.put(state.shownStatus ?? "", row: row, column: x + 2, style: .dim)
        } else if state.isFiltering {
            let filter = state.screen == .log ? state.log?.search ?? "" : state.list.filter
            frame.put("/\(filter)_", row: row, column: 0, style: .bold)
        } else {
            // An active filter is always said, first, so a message never hides it.
            let filter = state.list.filter.isEmpty || state.screen == .log ? "" : "filter /\(state.list.filter)  (esc clears)"
            var x = frame.put(filter, row: row, column: 0, style: .dim)
            if !filter.isEmpty { x += 2 }
            let message = state.shownStatus ?? state.loadProblem ?? ""
            frame.put(TextLayout.truncate(message, to: frame.columns - x, ellipsis: state.symbols.ellipsis), row: row,
                      column: x, style: .colored(.inProgress))
        }
    }

    /// Hints from the binding table; a hint that does not fit whole is left out, but never the
    /// way to help and the way out (`? help`, `q quit`), which keep their room at the end.
    private static func drawFooter(_ state: ConsoleState, into frame: inout Frame) {
        let row = frame.rows - 1
        let hints = state.hintedBindings
            .filter(\.shownInFooter)
        let essential = hints.filter { $0.action == .toggleHelp || $0.action == .quit }
        let others = hints.filter { $0.action != .toggleHelp && $0.action != .quit }
        func width(_ binding: Binding) -> Int { binding.footerLabel.count + 1 + binding.description.count + 2 }
        let reserved = essential.reduce(0) { $0 + width($1) }
        var shown: [Binding] = []
        var used = reserved
        for binding in others {
            guard used + width(binding) - 2 <= frame.columns else { break }
            shown.append(binding)
            used += width(binding)
        }
        var x = 0
        for binding in hints where shown.contains(where: { $0.action == binding.action }) || essential.contains(where: { $0.action == binding.action }) {
            x = frame.put(binding.footerLabel, row: row, column: x, style: .colored(.title, .bold))
            x = frame.put(" \(binding.description)  ", row: row, column: x)
        }
    }
}
