import Foundation
import SlipwayCore

/// Follows the shared store off the terminal thread: it reloads when another process (or
/// this one) appended an event, which it waits to be told of (`StoreChanges`), on request, and
/// every few seconds as a heartbeat. It also reads what the focused screen needs: a component's
/// releases, a run's stages or output, a slot's log.
struct StoreWatcher: Sendable {
    /// Seconds between two reads of what tells of no change: a store that cannot (the embedded
    /// one), and a run's output or a slot's log while one is on screen.
    static let pollInterval = 0.5
    /// Seconds between two passes that also refresh branch and commit and the router's counts,
    /// reap runs whose process died and child processes that exited.
    static let heartbeatInterval = 5.0
    static let runLimit = 200
    static let eventLimit = 300
    /// Alert events read to know which alerts fire: each rule's newest event decides.
    static let alertEventLimit = 500
    static let slotLogLines = 2000
    /// Test hook: when set, the first read of the store fails with this message, as an engine
    /// error would, so a test can see the console restore the terminal and exit.
    static let failureHook = "SLIPWAY_TEST_CONSOLE_ENGINE_ERROR"
    /// Test hook: seconds between heartbeats instead of `heartbeatInterval`, so a test sees the
    /// console show what the store told of alone.
    static let heartbeatHook = "SLIPWAY_TEST_CONSOLE_HEARTBEAT"

    let engine: Engine
    let readOnly: Bool
    let mailbox: ConsoleMailbox
    var environment = ProcessInfo.processInfo.environment

    /// What was last sent for the focused screen, so only news is read and sent.
    private struct FocusProgress {
        var focus = ConsoleFocus()
        var releasesEventID: Int64?
        var runEventID: Int64?
        var outputSequence = -1
        var slotLogStamp: String?
        var diffEventID: Int64?
        var driftEventID: Int64?
    }

    func watch() async {
        let clock = engine.clock
        let heartbeatInterval = environment[Self.heartbeatHook].flatMap(Double.init) ?? Self.heartbeatInterval
        let changes = engine.store.changes(every: Self.pollInterval, clock: clock)
        // A reload asked for, or another screen in focus, is read at once, as a change would be.
        mailbox.wakeWatcher { [weak changes] in changes?.nudge() }
        var lastEventID: Int64?
        var follower = FleetFollower(eventLimit: Self.eventLimit)
        var lastHeartbeat: Date?
        var header = ConsoleHeader(
            workspace: engine.workspace.root.path, actor: engine.identity.name, skipped: engine.workspace.problems.map(\.path),
            roles: engine.rolesByEnvironment)
        var metrics: [AgentResponse.Route]?
        var progress = FocusProgress()
        var service = ServiceLevels()
        var isFirstLoad = true
        // What the last load sent, for the next to make again only what new events change.
        var loaded: (fleet: FleetSnapshot, console: ConsoleSnapshot)?
        while !Task.isCancelled {
            let forced = mailbox.takeReloadRequest()
            let heartbeat = lastHeartbeat.map { clock.now().timeIntervalSince($0) >= heartbeatInterval } ?? true
            var problem: String?
            if heartbeat || forced {
                lastHeartbeat = clock.now()
                // An agent this process started (`slipway demo` does) that stopped would stay a
                // `<defunct>` zombie under the console for as long as it runs.
                DetachedProcess.reapExited()
                // Reaping writes events, which a read-only console must not do.
                if !readOnly {
                    do {
                        _ = try engine.store.reapInterruptedRuns()
                    } catch {
                        problem = "cannot reap interrupted runs: \(error.message)"
                    }
                }
                (header, metrics) = await loadHeaderAndMetrics()
            }
            do throws(SlipwayError) {
                if isFirstLoad, let message = environment[Self.failureHook] { throw SlipwayError.failure(message) }
                let eventID = try engine.latestEventID()
                let changed = eventID != lastEventID
                if heartbeat || forced || changed {
                    let previous = lastEventID ?? 0
                    lastEventID = eventID
                    // A pass that fails after folding events must not leave a load behind them to build on.
                    let previousLoad = loaded
                    loaded = nil
                    try follower.catchUp(engine, full: heartbeat || forced)
                    let newAlert = follower.events.prefix { $0.id > previous }.contains { $0.knownKind == .alertRaised }
                    try service.refresh(engine, force: forced || newAlert || isFirstLoad)
                    let made = try snapshot(follower, metrics: metrics, service: service, previous: previousLoad)
                    loaded = made
                    mailbox.post(.loaded(made.console, header))
                }
                try readFocus(&progress, eventID: eventID)
                await readDiff(&progress, eventID: eventID)
                await readDrift(&progress, eventID: eventID, again: heartbeat || forced)
                isFirstLoad = false
            } catch {
                guard !isFirstLoad else {
                    mailbox.post(.fatal("cannot read the store: \(error.message)"))
                    return
                }
                problem = "cannot read the store: \(error.message)"
            }
            // What is shown comes from a file that is no longer the store: say so on every pass.
            if heartbeat || forced, let lost = engine.storeFileProblem { problem = lost }
            // After the load, which clears the status line, so the problem stays in view.
            if let problem { mailbox.post(.loadFailed(problem)) }
            var wait = heartbeatInterval - clock.now().timeIntervalSince(lastHeartbeat ?? clock.now())
            // Output lines and log files are no events: while one is on screen it is read on a timer.
            if mailbox.focus.log != nil { wait = min(wait, Self.pollInterval) }
            await changes.wait(after: lastEventID ?? 0, atMost: max(0, wait))
        }
    }

    /// The fleet and the console's snapshot; after a catch-up that folded only a few events,
    /// made from `previous` again where those events changed it.
    private func snapshot(
        _ follower: FleetFollower, metrics: [AgentResponse.Route]?, service: ServiceLevels,
        previous: (fleet: FleetSnapshot, console: ConsoleSnapshot)?
    ) throws(SlipwayError) -> (fleet: FleetSnapshot, console: ConsoleSnapshot) {
        let since = previous.flatMap { previous in follower.changed.map { (snapshot: previous.fleet, changed: $0) } }
        // The follower's projection is up to date: the snapshot folds none of its own.
        let fleet = try engine.fleetSnapshot(projection: follower.projection, runLimit: Self.runLimit, previous: since)
        // Read on every load, heartbeats included: a host goes down by its agent's silence, not by an event.
        let summaries = HostSummary.summaries(
            hosts: try engine.store.hosts(), routes: fleet.routes, slots: fleet.slots, now: engine.clock.now())
        let console = ConsoleSnapshot(
            rows: fleet.rows, runs: fleet.runs, states: fleet.projection.states, slots: fleet.slots, routes: fleet.routes,
            metrics: metrics, events: follower.events,
            canaries: fleet.canaries.compactMap { CanaryPanel($0.record, runState: $0.runState) },
            objectives: service.objectives, recovery: service.recovery,
            projections: try engine.projectionRebuilds().filter { $0.attempt != nil }, alerts: service.alerts, approvals: fleet.approvals,
            cutovers: DNSCutoverPanel.panels(in: engine.workspace), platform: try engine.store.platformReadings(),
            hosts: HostPanel.panels(in: engine.workspace, summaries: summaries), regrouping: previous?.console)
        return (fleet, console)
    }

    /// The SLO figures and firing alerts, read again when a minute completes (the figures are
    /// over complete minutes) or an alert event arrives, not on every event.
    private struct ServiceLevels {
        var objectives: [SLOLine] = []
        var recovery: [DatabaseBackupStatus] = []
        var alerts: [FiringAlert] = []
        /// The firing alerts before silences in force are marked: silences are read every time.
        private var firing: [FiringAlert] = []
        var minute: Int?

        mutating func refresh(_ engine: Engine, force: Bool, now: Date = Date()) throws(SlipwayError) {
            let current = SLIMinute.number(of: now)
            if force || minute != current {
                firing = FiringAlert.firing(in: try engine.raisedAlerts(limit: StoreWatcher.alertEventLimit))
            }
            alerts = FiringAlert.marking(firing, silencedBy: try engine.silences(at: now))
            guard minute != current else { return }
            minute = current
            objectives = try SLOLine.lines(engine, at: now)
            recovery = try engine.databaseBackupStatus(now: now)
        }
    }

    private func readFocus(_ progress: inout FocusProgress, eventID: Int64) throws(SlipwayError) {
        let focus = mailbox.focus
        if focus != progress.focus { progress = FocusProgress(focus: focus) }
        if let releases = focus.releases, progress.releasesEventID != eventID {
            progress.releasesEventID = eventID
            let tags = try engine.releaseTags(of: releases.component, in: releases.environment)
            mailbox.post(.releasesLoaded(component: releases.component, environment: releases.environment, tags))
        }
        if let run = focus.run, progress.runEventID != eventID {
            progress.runEventID = eventID
            mailbox.post(.runEventsLoaded(runID: run, try engine.events(forRun: run)))
        }
        switch focus.log {
        case .run(let id):
            let lines = try engine.output(runID: id, after: progress.outputSequence)
            if let last = lines.last {
                mailbox.post(.logLoaded(
                    .run(id), lines.map { LogLine(time: $0.time, text: $0.text) }, replacing: progress.outputSequence < 0))
                progress.outputSequence = last.sequence
            }
        case .slot(let component, let environment, let color, let path):
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            let stamp = "\(attributes?[.size] ?? 0)-\(attributes?[.modificationDate] ?? 0)"
            if stamp != progress.slotLogStamp {
                progress.slotLogStamp = stamp
                let lines = RotatingLog.tail(of: URL(fileURLWithPath: path), limit: Self.slotLogLines)
                mailbox.post(.logLoaded(
                    .slot(component: component, environment: environment, color: color, path: path),
                    lines.map(LogLine.init(stamped:)), replacing: true))
            }
        case nil:
            break
        }
    }

    /// The release diff the focused screen asks for, again when the live versions may have moved.
    private func readDiff(_ progress: inout FocusProgress, eventID: Int64) async {
        guard let request = progress.focus.diff, progress.diffEventID != eventID else { return }
        progress.diffEventID = eventID
        var loaded = LoadedDiff(request: request)
        do throws(SlipwayError) {
            let component = try engine.workspace.component(named: request.component)
            loaded.diff = try await engine.releaseDiff(component, environment: request.environment, to: request.version)
        } catch {
            loaded.problem = error.message
        }
        mailbox.post(.diffLoaded(loaded))
    }

    /// The drift matrix while its screen is open: again when an event arrives, and on the
    /// heartbeat for commits made meanwhile.
    private func readDrift(_ progress: inout FocusProgress, eventID: Int64, again: Bool) async {
        guard progress.focus.drift, again || progress.driftEventID != eventID else { return }
        progress.driftEventID = eventID
        do throws(SlipwayError) {
            mailbox.post(.driftLoaded(try await engine.drift()))
        } catch {
            mailbox.post(.loadFailed("cannot read the drift: \(error.message)"))
        }
    }

    private func loadHeaderAndMetrics() async -> (ConsoleHeader, [AgentResponse.Route]?) {
        let branch = (try? await engine.git?.currentBranch()) ?? nil
        let commit = (try? await engine.git?.headCommit()) ?? nil
        let agent = AgentClient(workspace: engine.workspace.root, statePath: engine.statePath)
        let status = try? await agent.status(metrics: true, timeout: 2)
        let header = ConsoleHeader(
            workspace: engine.workspace.root.path, branch: branch, commit: commit, actor: engine.identity.name,
            agent: status.map { "up (pid \($0.pid))" } ?? "down", skipped: engine.workspace.problems.map(\.path),
            roles: engine.rolesByEnvironment)
        return (header, status.map(\.routes))
    }
}
