import SlipwayCore

/// Changing actions: each becomes a `PendingAction` to confirm, then a request to the engine.
extension Console {
    static func readOnlyRefusal(_ what: String) -> String {
        "read-only: \(what) is not allowed here (--read-only or read_only: true)"
    }

    static func propose(_ action: ConsoleAction, in state: inout ConsoleState) {
        if state.screen == .runs {
            proposeForRun(action, in: &state)
            return
        }
        if state.screen == .releases {
            proposeRollbackToSelectedRelease(in: &state)
            return
        }
        guard let (component, environment) = target(in: state) else {
            state.statusMessage = state.screen == .fleet
                ? "choose the environment first: enter opens the component, or :env NAME"
                : "nothing selected"
            return
        }
        let command: ConsoleCommandLine.Command = switch action {
        case .deploy: .deploy(component: component, environment: environment, version: nil)
        case .switchTraffic: .switchTraffic(component: component, environment: environment)
        default: .rollback(component: component, environment: environment, version: nil)
        }
        ask(command, in: &state)
    }

    private static func proposeRollbackToSelectedRelease(in state: inout ConsoleState) {
        let releases = state.visibleReleases
        guard let component = state.component, let environment = state.releasesEnvironment,
              releases.indices.contains(state.selection) else { return }
        let version = releases[state.selection].version
        if state.snapshot.state(component, environment)?.liveVersion == version {
            state.statusMessage = "\(version) is already live in \(environment)"
            return
        }
        ask(.rollback(component: component, environment: environment, version: version), in: &state)
    }

    private static func proposeForRun(_ action: ConsoleAction, in state: inout ConsoleState) {
        let runs = state.visibleRuns
        guard runs.indices.contains(state.selection) else { return }
        let run = runs[state.selection]
        guard let component = run.component, let environment = run.environment else {
            state.statusMessage = "run \(run.id) is not about one component in one environment"
            return
        }
        guard run.state != .running else {
            state.statusMessage = "run \(run.id) is still running"
            return
        }
        if action == .rollback {
            ask(.rollback(component: component, environment: environment, version: nil), in: &state)
            return
        }
        switch run.kind {
        case .deploy: ask(.deploy(component: component, environment: environment, version: run.version), in: &state)
        case .rollback: ask(.rollback(component: component, environment: environment, version: run.version), in: &state)
        case .switchTraffic: ask(.switchTraffic(component: component, environment: environment), in: &state)
        case .test, .healthCheck, .pipeline, .migrate: state.statusMessage = "\(run.kind.rawValue) runs are retried from the command line"
        }
    }

    /// Turns `command` into the confirmation it needs (or runs `:env` and `:q` at once).
    static func ask(_ command: ConsoleCommandLine.Command, in state: inout ConsoleState) {
        let kind = state.rows.first { $0.component == componentName(of: command) }?.kind ?? .app
        if let (action, environment) = command.changing, let refusal = state.roleRefusal(action, in: environment) {
            state.statusMessage = refusal
            return
        }
        let pending: PendingAction
        switch command {
        case .quit, .environment, .travel:
            return
        case .deploy(let component, let environment, let version):
            let deployment = state.snapshot.state(component, environment)
            let live = deployment?.liveColor.flatMap(SlotColor.init(rawValue:))
            let from = deployment?.liveVersion.map { version in live.map { "\($0) \(version)" } ?? version } ?? "nothing live"
            pending = PendingAction(
                summary: "deploy \(component) to \(environment)",
                request: .run(.deploy(.init(component: component, kind: kind, environment: environment, version: version, force: false))),
                environment: environment,
                move: .init(from: from, toColor: live.map { SlotColor.idle(whenLive: $0) }, toVersion: version))
        case .switchTraffic(let component, let environment):
            // Workers, Lambda and Pages serve versions, not colours: there is nothing to switch to.
            if let reading = state.snapshot.reading(component, environment), !reading.shares.isEmpty,
               reading.share("blue") == nil, reading.share("green") == nil {
                state.statusMessage = "\(component) in \(environment) moves between versions, not colours: "
                    + "roll back with b, or pick a release with r"
                return
            }
            // The idle colour is the one a waiting release sits in, so the switch promotes it.
            let ready = state.rows.first { $0.component == component && $0.environment == environment }?.ready
            pending = PendingAction(
                summary: ready.map { "promote \(component) \($0.version) in \(environment): switch traffic to \($0.color)" }
                    ?? switchSummary(component, environment, in: state),
                request: .run(.switchTraffic(.init(component: component, environment: environment, color: nil))),
                environment: environment)
        case .rollback(let component, let environment, let version):
            let live = state.snapshot.state(component, environment)?.liveVersion
            pending = PendingAction(
                summary: "roll back \(component) in \(environment)\(live.map { " from \($0)" } ?? "") to \(version ?? "the previous version")",
                request: .run(.rollback(.init(component: component, environment: environment, version: version, force: false))),
                environment: environment)
        }
        state.pending = pending
        state.statusMessage = nil
    }

    /// What a switch does, in full: from which colour and release to which, and whether that
    /// goes back to an older release (a rollback in effect).
    static func switchSummary(_ component: String, _ environment: String, in state: ConsoleState) -> String {
        let deployment = state.snapshot.state(component, environment)
        let live = deployment?.liveColor
        let idle = live == "blue" ? "green" : "blue"
        let from = live.map { "\($0) \(deployment?.liveVersion ?? "?")" } ?? "nothing"
        guard let slot = state.snapshot.slots(component, environment).first(where: { $0.color == idle && $0.state == .running }) else {
            // A cloud component has no slots: its platform says what the idle colour runs.
            if let version = state.snapshot.reading(component, environment)?.share(idle)?.version {
                let older = deployment?.previousVersions.contains(version) == true ? " (a rollback)" : ""
                return "switch \(component) in \(environment): \(from) -> \(idle) \(version)\(older), as the platform reports it"
            }
            return "switch \(component) in \(environment) to \(idle): no release is running there"
        }
        let older = deployment?.previousVersions.contains(slot.version) == true ? " (a rollback)" : ""
        return "switch \(component) in \(environment): \(from) -> \(idle) \(slot.version)\(older)"
    }

    static func componentName(of command: ConsoleCommandLine.Command) -> String? {
        switch command {
        case .deploy(let component, _, _), .switchTraffic(let component, _), .rollback(let component, _, _): component
        case .environment, .travel, .quit: nil
        }
    }

    /// Approving or denying the request highlighted on the approvals screen.
    static func proposeDecision(_ action: ConsoleAction, in state: inout ConsoleState) {
        guard let record = state.selectedApproval else {
            state.statusMessage = "no request awaits approval"
            return
        }
        let what = record.request.title
        let verb = action == .approve ? "approve" : "deny"
        state.pending = PendingAction(
            summary: "\(verb) request \(record.id) of \(record.actor): \(what)",
            request: action == .approve
                ? .approve(requestID: record.id, what: what) : .deny(requestID: record.id, what: what, reason: ""),
            environment: record.request.environment, asksReason: action == .deny)
        state.statusMessage = nil
    }

    static func confirm(in state: inout ConsoleState) -> [ConsoleEffect] {
        guard var pending = state.pending else { return [] }
        if pending.asksReason {
            guard pending.typed.contains(where: { !$0.isWhitespace }), case .deny(let id, let what, _) = pending.request else {
                state.pending = nil
                state.statusMessage = "a denial needs a reason: nothing changed"
                return []
            }
            pending.request = .deny(requestID: id, what: what, reason: pending.typed)
        }
        if pending.needsTypedName, pending.typed != pending.environment {
            state.pending = nil
            state.statusMessage = "not confirmed (typed '\(pending.typed)', not '\(pending.environment)'): nothing changed"
            return []
        }
        state.pending = nil
        state.statusMessage = "asking: \(pending.request.title)"
        return [.request(pending.request)]
    }

    // MARK: Command mode

    static func runCommand(in state: inout ConsoleState) -> [ConsoleEffect] {
        let text = state.command ?? ""
        state.command = nil
        let components = state.snapshot.components.map(\.name)
        switch ConsoleCommandLine.parse(text, components: components, environments: state.environments, now: state.now) {
        case .failure(let error):
            state.statusMessage = error.message
        case .success(.quit):
            state.shouldQuit = true
            return [.quit]
        case .success(.travel(let moment)):
            return travel(to: .moment(moment), in: &state)
        case .success(.environment(let environment)):
            state.environment = environment
            state.statusMessage = "actions from the fleet now apply to \(environment)"
        case .success(let command):
            let verb = text.split(separator: " ").first.map(String.init) ?? text
            if state.readOnly {
                state.statusMessage = readOnlyRefusal(verb)
                return []
            }
            if state.past != nil {
                state.statusMessage = PastView.refusal(verb)
                return []
            }
            ask(command, in: &state)
        }
        return []
    }

    static func complete(in state: inout ConsoleState) {
        let releases = state.releases
        let releasesFor = (state.component, state.releasesEnvironment)
        let snapshot = state.snapshot
        let (text, candidates) = ConsoleCommandLine.complete(
            state.command ?? "", components: state.snapshot.components.map(\.name),
            environments: state.environments
        ) { component, environment in
            if releasesFor == (component, environment) { return releases.map(\.version) }
            let deployment = snapshot.state(component, environment)
            return (deployment?.liveVersion.map { [$0] } ?? []) + (deployment?.previousVersions ?? [])
        }
        state.command = text
        state.statusMessage = candidates.isEmpty ? nil : candidates.joined(separator: "  ")
    }
}
