import Foundation
import Logging
import SlipwayCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// `slipway agent`: one per workspace. It starts and supervises the router process and the
/// slot processes, answers the CLI and the console on a unix socket, and records what it does.
/// Every operation takes its turn of ``SerialWork``, so two switches of one component never
/// interleave, while a ping and an `execute` are answered at once whatever the agent is doing.
public actor Agent {
    let root: URL
    let store: EventStore
    /// The embedded store's file or where it would be: the agent's lock, socket and tokens sit beside it.
    let statePath: URL
    let socketPath: String
    let runs: RequestedRuns
    /// Where the agent reads the time and waits.
    let clock: any EngineClock = SystemClock()
    private let work = SerialWork()
    private var router: (any RouterLink)?
    /// Set by `stop`, `hand_over` and the idle exit: from then on the timers do nothing.
    private let stopping = Atomic<Bool>(false)
    private var toldStoreProblem = false
    private var restartBackoff: [String: (attempts: Int, notBefore: Date)] = [:]
    /// Since when the agent has had nothing to do: no route, no running slot, no request.
    private var idleSince: Date?
    /// An agent of a workspace without routes (Makefile targets only) exits after this long idle;
    /// the next request starts one again. A deployed cloud component keeps it up: it reads that
    /// component's figures from the platform.
    let idleExit: TimeInterval = 30
    /// This host in the store's registry, as the agent started; each heartbeat records it seen again.
    private let hostRecord = HostRecord.agent(startedAt: Date())
    private var lastHeartbeat = Date.distantPast
    /// Seconds between two heartbeats of the host: well within `HostRecord.staleAfter`.
    private let heartbeatInterval: TimeInterval = 5
    /// Seconds between two looks for orphaned requests when the store tells of no change: an
    /// executor on another host can die without an event.
    let orphanScanInterval: TimeInterval = 2
    /// Seconds between two reads of a store that cannot tell of its changes (the embedded one).
    let changePollInterval: TimeInterval = 0.5
    private let makeRouter: @Sendable (String) throws -> any RouterLink
    /// How long requests in flight on a colour that lost its traffic may take, as the router's.
    let drainTimeout: TimeInterval = 30
    private var metrics: MetricsEndpoint?
    /// Seconds between two SLI collections; `SLIPWAY_SLI_INTERVAL` is the test hook that shortens it.
    private let sliInterval = ProcessInfo.processInfo.environment["SLIPWAY_SLI_INTERVAL"].flatMap(Double.init) ?? 10
    /// Seconds between two looks for a completed minute of cloud figures; `SLIPWAY_PLATFORM_METRICS_PAUSE`
    /// is the test hook that shortens it.
    private let platformMetricsPause = ProcessInfo.processInfo.environment["SLIPWAY_PLATFORM_METRICS_PAUSE"].flatMap(Double.init) ?? 15
    private let platformMetrics: PlatformMetricsWatch
    /// The task of `platformMetrics`' passes, ended before the agent exits.
    private var platformReads: Task<Void, Never>?

    init(
        root: URL, store: EventStore, statePath: URL, socketPath: String,
        makeRouter: @escaping @Sendable (String) throws -> any RouterLink
    ) {
        self.root = root
        self.store = store
        self.statePath = statePath
        self.socketPath = socketPath
        self.makeRouter = makeRouter
        runs = RequestedRuns(root: root, statePath: statePath, store: store)
        platformMetrics = PlatformMetricsWatch(root: root, statePath: statePath)
    }

    /// Runs the agent of the workspace at `root` in this process until `slipway agent stop`,
    /// which exits the process; returns only by throwing. `shared` is the team's store when one is
    /// chosen; without it the agent opens the embedded store at `state`, as the actor `agent`.
    public static func run(workspace root: URL, state: URL, shared: (any EventStore)? = nil) async throws {
        // One agent per workspace, whatever the socket says: the lock is held for the agent's life
        // and dropped by the kernel however it ends. (A busy agent once missed a ping and a second
        // one took over its socket.)
        let lockPath = state.deletingLastPathComponent().appendingPathComponent("agent.lock").path
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            throw SlipwayError(.agent(.alreadyRunning(lockPath: lockPath)))
        }
        let store = try shared ?? SQLiteStore(path: state, actor: "agent")
        let client = AgentClient(workspace: root, statePath: state)
        if await client.answers() {
            throw SlipwayError(.agent(.alreadyAnswering(socket: client.socketPath)))
        }
        let agent = Agent(root: root, store: store, statePath: state, socketPath: client.socketPath) { path in ControlledRouter(socketPath: path) }
        try await agent.serve()
    }

    var routerSocketPath: String { socketPath.replacingOccurrences(of: ".sock", with: ".router.sock") }

    private nonisolated var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Serves until asked to stop, which exits the process; returns only by throwing.
    func serve() async throws {
        signal(SIGPIPE, SIG_IGN)
        // Slots and the router are reaped on each supervision pass (DetachedProcess.reapExited);
        // SIGCHLD keeps its default, so the goals and git commands a run starts can be waited for.
        let socket = try await AgentSocket.listen(
            at: socketPath, answerAtOnce: { [self] request in answerAtOnce(request) },
            answer: { [self] request in await answer(request) },
            answered: { [self] response in exitIfDone(after: response) })
        try store.save(ProcessRecord(role: "agent", identity: .current, socket: socketPath))
        recordHeartbeat(now: Date())
        await serially {
            await stopUnrecordedSlots()
            startParkedSlots()
            await adoptOrStartRouter()
        }
        await runs.takeOverOrphansAtStart()
        Task {
            while true {
                try? await clock.sleep(seconds: 0.5)
                await serially { await supervise() }
            }
        }
        let changes = store.changes(every: changePollInterval, clock: clock)
        Task { await scanForOrphans(on: changes) }
        let collector = SLICollector(root: root, store: store)
        let watch = SLOWatch(root: root, store: store)
        Task {
            while true {
                try? await clock.sleep(seconds: sliInterval)
                await serially {
                    guard !isStopping else { return }
                    if let router { await collector.collect(from: router) }
                    watch.evaluate()
                }
            }
        }
        let running = { @Sendable [self] in !isStopping }
        let lagScraper = EventLagScraper(root: root, store: store)
        Task { [clock, sliInterval] in await lagScraper.watch(clock: clock, pause: sliInterval, while: running) }
        let liveHealth = LiveHealthWatch(root: root, store: store)
        Task { [clock] in
            try? await clock.sleep(seconds: 0.5)
            await liveHealth.watch(clock: clock, pause: 0.25, while: running)
        }
        platformReads = Task { [clock, platformMetrics, platformMetricsPause] in
            await platformMetrics.watch(clock: clock, pause: platformMetricsPause, while: running)
        }
        let hostSteps = HostStepsWatch(root: root, statePath: statePath, store: store)
        Task { [clock] in await hostSteps.watch(on: changes, clock: clock, pause: HostStepsWatch.touchInterval, while: running) }
        let sinks = AlertSinks(root: root, store: store, clock: clock)
        Task { await sinks.watch(pause: 0.5) { true } }
        let scheduler = BackupScheduler(root: root, store: store)
        Task { [clock] in await scheduler.watch(clock: clock, while: running) }
        await startMetricsEndpoint()
        try await socket.closed()
        throw SlipwayError(.agent(.socketClosed(socket: socketPath)))
    }

    /// Answers a ping and takes an `execute` on at once, so a busy agent is never taken for a
    /// dead one and a run never waits for a switch; nil for what must wait for its turn.
    nonisolated func answerAtOnce(_ request: AgentRequest) -> AgentResponse? {
        switch request {
        case .ping:
            return pong()
        case .execute(let requestID, let variables):
            runs.execute(requestID: requestID, environment: variables)
            return .done
        default:
            return nil
        }
    }

    /// Answers `request`, in its turn unless it can be answered at once.
    nonisolated func answer(_ request: AgentRequest) async -> AgentResponse {
        if let response = answerAtOnce(request) { return response }
        return await performInTurn(request)
    }

    private func performInTurn(_ request: AgentRequest) async -> AgentResponse {
        await serially {
            do {
                return try await perform(request)
            } catch let error as SlipwayError {
                return .refused(reason: error.message)
            } catch {
                return .refused(reason: "\(error)")
            }
        }
    }

    /// `stop` and `hand_over` end the agent once their answer is written.
    nonisolated func exitIfDone(after response: AgentResponse) {
        switch response {
        case .stopping:
            try? store.deleteProcess(role: "agent")
            unlink(socketPath)
            exit(0)
        case .handedOver:
            // The next agent, on the new store, supervises the slots and router.
            unlink(socketPath)
            exit(0)
        default:
            return
        }
    }

    /// Runs `body` in the agent's turn: nothing else the agent does interleaves with it.
    private func serially<Value>(_ body: () async -> Value) async -> Value {
        await work.begin()
        let value = await body()
        await work.end()
        return value
    }

    /// Kills the agent at `step` when `SLIPWAY_CRASH_AT` names it, once per store: the agent that
    /// takes over inherits the variable and must get past that step.
    func crash(at step: String) {
        CrashPoint(onceIn: statePath.deletingLastPathComponent()).reach(step)
    }

    /// Stops a process off the cooperative threads: stopping waits (up to `grace` seconds) for it to exit.
    func stopProcess(_ pid: Int32, grace: Double = 10, orphanedReleaseOf log: String? = nil) async {
        _ = try? await BlockingWork.run { () -> Bool in
            let stopped = DetachedProcess.stop(pid: pid, grace: grace)
            if let log { SlotProcess.stopOrphanedRelease(log: log) }
            return stopped
        }
    }

    // MARK: Operations

    private func perform(_ request: AgentRequest) async throws -> AgentResponse {
        switch request {
        case .ping, .execute:
            // Answered before any turn is waited for.
            return answerAtOnce(request) ?? .done
        case .handOver:
            stopping.store(true, ordering: .relaxed)
            await endPlatformReads()
            return .handedOver(records: AgentRecords(
                routes: try store.routes(on: .thisHost), slots: try store.slots(on: .thisHost), router: try store.process(role: "router")))
        case .status:
            return .status(try await status(buckets: false))
        case .metrics:
            return .status(try await status(buckets: true))
        case .startSlot(let component, let environment, let color, let version, let command, let directory, let variables):
            guard !command.isEmpty else { throw SlipwayError.usage("the slot needs a command") }
            let (port, pid) = try await startSlot(
                component: component, environment: environment, color: color, version: version, command: command,
                directory: directory, variables: variables)
            return .slotStarted(port: port, pid: pid)
        case .stopSlot(let component, let environment, let color):
            try await stopSlot(component: component, environment: environment, color: color)
            return .done
        case .ensureRoute(let component, let environment, let port, let host):
            return .route(port: try await ensureRoute(component: component, environment: environment, port: port, host: host))
        case .switchTraffic(let component, let environment, let color, let greenWeight, let keepWarm):
            try await switchTraffic(component: component, environment: environment, color: color, greenWeight: greenWeight,
                                    keepWarm: keepWarm)
            return .done
        case .stop:
            // From here on the timers do nothing: a supervision pass between this answer and the
            // exit would find the router gone and start a new one.
            stopping.store(true, ordering: .relaxed)
            // Before the stand-ins stop: an `aws` call left running would outlive the agent, retrying
            // a moto that is gone.
            await endPlatformReads()
            // The colours with traffic are parked: the next agent starts them again, so
            // `agent stop` then `agent start` gives the fleet back as it was.
            let routes = try store.routes(on: .thisHost)
            for slot in try store.slots(on: .thisHost) where slot.state == .running {
                guard let color = SlotColor(rawValue: slot.color) else { continue }
                let route = routes.first { $0.component == slot.component && $0.environment == slot.environment }
                let weight = color == .green ? route?.greenWeight ?? 0 : 100 - (route?.greenWeight ?? 0)
                try await stopSlot(
                    component: slot.component, environment: slot.environment, color: color,
                    reason: "the agent was stopped", as: route != nil && weight > 0 ? .parked : .stopped)
            }
            await router?.shutdown()
            if let record = try store.process(role: "router") { await stopProcess(record.pid, grace: 5) }
            try store.deleteProcess(role: "router")
            // The platform stand-ins (the cloud demo's moto and Cloudflare stand-in) serve this fleet and keep
            // nothing once stopped: they end with it.
            for record in try store.processes(on: .thisHost) where record.isStandIn {
                if record.identity.isAlive(lastHeartbeat: .distantPast) { await stopProcess(record.pid, grace: 5) }
                try store.deleteProcess(role: record.role)
            }
            try? store.recordHeartbeat(of: hostRecord.stopped(at: Date()))
            return .stopping
        }
    }

    /// Cancels the platform figures' pass in flight and waits for it: cancelled, swift-subprocess
    /// kills the `aws` process of a call in flight, which `exit` would leave running.
    private func endPlatformReads() async {
        platformReads?.cancel()
        await platformReads?.value
        platformReads = nil
    }

    private nonisolated func pong() -> AgentResponse {
        .pong(pid: getpid(), socket: socketPath)
    }

    /// Slots and routes; `buckets` adds each colour's latency histogram, which only interval
    /// analysis (the canary) needs.
    private func status(buckets: Bool) async throws -> AgentResponse.Status {
        let slots = try store.slots(on: .thisHost).map { stored in
            var slot = stored
            if stored.state != .running { slot.retireAt = nil }
            if stored.state == .running && !DetachedProcess.isRunning(stored.pid) { slot.state = .crashed }
            return slot
        }
        var routes: [AgentResponse.Route] = []
        for route in try store.routes(on: .thisHost) {
            let name = "\(route.component)/\(route.environment)"
            let counts = try? await router?.counts(name)
            routes.append(AgentResponse.Route(
                component: route.component, environment: route.environment, url: route.url,
                liveColor: route.liveColor, weights: ["blue": 100 - route.greenWeight, "green": route.greenWeight],
                counts: counts?.mapValues { counts in
                    var counts = counts
                    if !buckets { counts.latencyBuckets = nil }
                    return counts
                }))
        }
        return AgentResponse.Status(
            pid: getpid(), socket: socketPath, routerPID: try store.process(role: "router")?.pid, slots: slots, routes: routes,
            metricsURL: metrics?.url, metricsTokenFile: metrics?.token.file.path, storeProblem: store.fileProblem)
    }

    private func startSlot(
        component: String, environment: String, color: SlotColor, version: String, command: [String], directory: String,
        variables: [String: String]
    ) async throws -> (port: Int, pid: Int32) {
        await waitForDrain(component: component, environment: environment, color: color)
        try await stopSlot(component: component, environment: environment, color: color)
        crash(at: "start-slot-before-launch")
        let port = try PortAllocator.freePort()
        let logPath = root.appendingPathComponent(".slipway/logs/\(component)/\(environment)/\(color).log").path
        var variables = variables
        variables["PORT"] = String(port)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var slot = SlotRecord(
            component: component, environment: environment, color: color.rawValue, version: version, port: port,
            pid: 0, pidStartTime: "", host: ProcessIdentity.hostName, directory: directory,
            command: String(decoding: try encoder.encode(command), as: UTF8.self),
            variables: String(decoding: try encoder.encode(variables), as: UTF8.self), logPath: logPath,
            state: .running, restarts: 0, startedAt: Date())
        try launch(&slot)
        crash(at: "start-slot-before-record")
        try store.save(slot, event: NewEvent(
            .slotStarted, component: component, environment: environment,
            details: EventDetails(version: slot.version, color: color.rawValue, pid: Int(slot.pid))))
        crash(at: "start-slot-after-record")
        return (port, slot.pid)
    }

    /// Starts the slot's process for `slot` (detached, in its own session) and fills in its pid.
    private func launch(_ slot: inout SlotRecord) throws {
        let command = try JSONDecoder().decode([String].self, from: Data(slot.command.utf8))
        let variables = try JSONDecoder().decode([String: String].self, from: Data(slot.variables.utf8))
        try FileManager.default.createDirectory(
            atPath: (slot.logPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var arguments = [DetachedProcess.currentExecutable, "slot", "--log", slot.logPath, "--directory", slot.directory]
        for (key, value) in variables.sorted(by: { $0.key < $1.key }) { arguments += ["--variable", "\(key)=\(value)"] }
        arguments += ["--"] + command
        let pid = try DetachedProcess.spawn(arguments, environment: ProcessInfo.processInfo.environment)
        slot.pid = pid
        slot.pidStartTime = ProcessIdentity.startTime(of: pid) ?? ""
        slot.startedAt = Date()
    }


    func stopSlot(
        component: String, environment: String, color: SlotColor, reason: String? = nil, as state: SlotState = .stopped
    ) async throws {
        guard var slot = try store.slots(on: .thisHost).first(where: {
            $0.component == component && $0.environment == environment && $0.color == color.rawValue
        }), slot.state == .running else { return }
        // Recorded first: an agent killed in between leaves a process that is not recorded as
        // running, which the next agent stops, rather than a record the supervisor would restart.
        slot.state = state
        slot.retireAt = nil
        try store.save(slot, event: NewEvent(
            .slotStopped, component: component, environment: environment,
            details: EventDetails(version: slot.version, color: color.rawValue, reason: reason)))
        crash(at: "stop-slot-after-record")
        await stopProcess(slot.pid, orphanedReleaseOf: slot.logPath)
        let route = try store.routes(on: .thisHost).first { $0.component == component && $0.environment == environment }
        if route?.liveColor != color.rawValue { try? await router?.setUpstream("\(component)/\(environment)", color: color, port: nil) }
    }

    private func ensureRoute(component: String, environment: String, port requested: Int?, host requestedHost: String?) async throws -> Int {
        let existing = try store.routes(on: .thisHost).first { $0.component == component && $0.environment == environment }
        let port = existing?.port ?? requested ?? 0
        let host = requestedHost ?? existing?.host ?? "127.0.0.1"
        guard let router else { throw SlipwayError(.target(.routerNotRunning)) }
        let name = "\(component)/\(environment)"
        if let existing, existing.host != host {
            // A new bind address: the listener moves (requests in flight drain), the split stays.
            try await router.removeRoute(name)
            var moved = existing
            moved.host = host
            moved.port = try await router.ensureRoute(name, host: host, port: existing.port)
            for slot in try store.slots(on: .thisHost) where slot.component == component && slot.environment == environment && slot.state == .running {
                guard let color = SlotColor(rawValue: slot.color) else { continue }
                try await router.setUpstream(name, color: color, port: slot.port)
            }
            try await router.setWeights(name, green: existing.greenWeight)
            try store.save(moved)
            return moved.port
        }
        let bound = try await router.ensureRoute(name, host: host, port: port)
        if existing == nil || existing?.port != bound {
            try store.save(RouteRecord(
                component: component, environment: environment, host: host, port: bound,
                liveColor: existing?.liveColor, greenWeight: existing?.greenWeight ?? 0))
        }
        return bound
    }

    /// Waits (at most the router's drain timeout, on the agent's clock) until no request of
    /// `color` is in flight, so stopping a colour that lost its traffic never cuts an answer off.
    func waitForDrain(component: String, environment: String, color: SlotColor) async {
        guard let router else { return }
        let name = "\(component)/\(environment)"
        let deadline = clock.now().addingTimeInterval(drainTimeout)
        while clock.now() < deadline, let busy = try? await router.inFlight(name, color: color), busy > 0 {
            try? await clock.sleep(seconds: 0.05)
        }
    }

    func switchTraffic(component: String, environment: String, color: SlotColor, greenWeight: Int?, keepWarm: Double) async throws {
        guard let router else { throw SlipwayError(.target(.routerNotRunning)) }
        let slots = try store.slots(on: .thisHost).filter {
            $0.component == component && $0.environment == environment && $0.state == .running
        }
        guard let target = slots.first(where: { $0.color == color.rawValue }), DetachedProcess.isRunning(target.pid) else {
            throw SlipwayError(.target(.slotNotRunning(component: component, color: color, environment: environment, toSwitchTo: true)))
        }
        guard var route = try store.routes(on: .thisHost).first(where: { $0.component == component && $0.environment == environment }) else {
            throw SlipwayError.failure("\(component) has no route in \(environment) yet")
        }
        let name = "\(component)/\(environment)"
        crash(at: "switch-before-upstream")
        for slot in slots {
            guard let slotColor = SlotColor(rawValue: slot.color) else { continue }
            try await router.setUpstream(name, color: slotColor, port: slot.port)
        }
        let green = greenWeight ?? (color == .green ? 100 : 0)
        crash(at: "switch-before-weights")
        try await router.setWeights(name, green: green)
        crash(at: "switch-before-record")
        route.liveColor = green >= 50 ? "green" : "blue"
        route.greenWeight = green
        try store.save(route, event: NewEvent(
            .trafficSwitched, component: component, environment: environment,
            details: EventDetails(version: green == 0 || green == 100 ? target.version : nil, color: route.liveColor)))
        // A colour left without traffic stays warm for an instant switch-back, then goes.
        let retireAt = Date().addingTimeInterval(keepWarm)
        for var slot in slots {
            let weight = slot.color == "green" ? green : 100 - green
            let wanted = weight > 0 ? nil : (slot.retireAt ?? retireAt)
            if slot.retireAt != wanted {
                slot.retireAt = wanted
                try store.save(slot)
            }
        }
    }

    // MARK: Metrics

    /// Serves `/metrics` on loopback (`SLIPWAY_METRICS_PORT`, default any free port); the agent
    /// works on without it when the port cannot be had.
    private func startMetricsEndpoint() async {
        let port = ProcessInfo.processInfo.environment["SLIPWAY_METRICS_PORT"].flatMap(Int.init) ?? 0
        do {
            let token = try MetricsToken.load(in: statePath.deletingLastPathComponent())
            metrics = try await MetricsEndpoint.bind(host: "127.0.0.1", port: port, token: token) { [self] in
                await metricsPage()
            }
        } catch {
            AgentLog.logger.error("cannot serve /metrics on port \(port): \(error)")
        }
    }

    private func metricsPage() async -> String {
        await serially { await metricsText() }
    }

    private func metricsText() async -> String {
        var colors: [PrometheusExposition.ColorSample] = []
        for route in (try? store.routes(on: .thisHost)) ?? [] {
            guard let counts = try? await router?.counts("\(route.component)/\(route.environment)") else { continue }
            for (color, counts) in counts.sorted(by: { $0.key < $1.key }) {
                colors.append(.init(component: route.component, environment: route.environment, color: color, counts: counts))
            }
        }
        let workspace = (try? Workspace.load(at: root))
        let slo = workspace.flatMap { try? SLOReport(store: store, workspace: $0, environment: nil) }?.entries ?? []
        return PrometheusExposition(colors: colors, slo: slo).text
    }

    // MARK: Supervision

    private func exitWhenIdle(now: Date) async {
        let idle = !runs.isBusy && !platformMetrics.hasSubjects && (try? store.routes(on: .thisHost).isEmpty) == true
            && (try? store.slots(on: .thisHost).contains { $0.state == .running }) == false
            && (try? store.orphanedRequests().isEmpty) == true
        guard idle else {
            idleSince = nil
            return
        }
        let since = idleSince ?? now
        idleSince = since
        guard now.timeIntervalSince(since) >= idleExit else { return }
        stopping.store(true, ordering: .relaxed)
        await router?.shutdown()
        if let record = try? store.process(role: "router") { await stopProcess(record.pid, grace: 5) }
        try? store.deleteProcess(role: "router")
        try? store.deleteProcess(role: "agent")
        try? store.recordHeartbeat(of: hostRecord.stopped(at: now))
        unlink(socketPath)
        exit(0)
    }

    /// Starts again the slots that had traffic when the last agent was stopped.
    private func startParkedSlots() {
        guard let slots = try? store.slots(on: .thisHost) else { return }
        for var slot in slots where slot.state == .parked {
            do {
                try launch(&slot)
                slot.state = .running
                try store.save(slot, event: NewEvent(
                    .slotStarted, component: slot.component, environment: slot.environment,
                    details: EventDetails(version: slot.version, color: slot.color, reason: "started again with the agent",
                                          pid: Int(slot.pid))))
            } catch {
                AgentLog.logger.error("cannot start \(slot.component)/\(slot.environment)/\(slot.color) again: \(error)")
            }
        }
    }

    /// Stops slot processes that no record says should run: left by an agent killed between
    /// starting a slot and recording it, or between recording a stop and stopping it.
    private func stopUnrecordedSlots() async {
        guard let slots = try? store.slots(on: .thisHost) else { return }
        let logs = root.appendingPathComponent(".slipway/logs").path
        for (pid, log) in SlotProcess.processes(loggingUnder: logs) {
            let record = slots.first { $0.logPath == log }
            if let record, record.state == .running, record.pid == pid { continue }
            await stopProcess(pid, orphanedReleaseOf: log)
            AgentLog.logger.notice("stopped slot process \(pid) (\(log)): not recorded as running")
            if let record {
                _ = try? store.append(NewEvent(
                    .slotStopped, component: record.component, environment: record.environment,
                    details: EventDetails(color: record.color,
                                          reason: "process \(pid) was not recorded as running; stopped by the new agent",
                                          pid: Int(pid))))
            }
        }
    }

    /// Stops the slots whose `keep_warm` has passed, once the router has no request of theirs in
    /// flight (or the drain timeout has passed too).
    private func retireWarmSlots(_ slots: [SlotRecord], now: Date) async {
        guard let routes = try? store.routes(on: .thisHost) else { return }
        for var slot in slots where slot.state == .running {
            guard let retireAt = slot.retireAt, retireAt <= now, let color = SlotColor(rawValue: slot.color) else { continue }
            let route = routes.first { $0.component == slot.component && $0.environment == slot.environment }
            let weight = slot.color == "green" ? route?.greenWeight ?? 0 : 100 - (route?.greenWeight ?? 0)
            if weight > 0 {
                slot.retireAt = nil
                try? store.save(slot)
                continue
            }
            let name = "\(slot.component)/\(slot.environment)"
            if let busy = try? await router?.inFlight(name, color: color), busy > 0,
               now < retireAt.addingTimeInterval(drainTimeout) {
                continue
            }
            try? await stopSlot(component: slot.component, environment: slot.environment, color: color,
                          reason: "kept warm until \(TimeText.rfc3339(retireAt)); no traffic since")
        }
    }

    /// Says in the store's registry that this host's agent is up at `now`; one that fails is
    /// tried again a heartbeat later (the registry only informs: nothing waits on it).
    private func recordHeartbeat(now: Date) {
        lastHeartbeat = now
        try? store.recordHeartbeat(of: hostRecord.seen(at: now))
    }

    private func adoptOrStartRouter() async {
        if let record = try? store.process(role: "router"), record.identity.isAlive(lastHeartbeat: Date()),
           let link = try? makeRouter(record.socket), await link.ping() {
            router = link
            // The store is the record of what was asked: an agent killed halfway through a switch
            // leaves the router as the store says, with exactly one live colour.
            do {
                try await restoreRoutes(link)
            } catch {
                AgentLog.logger.error("cannot restore the routes: \(error)")
            }
            return
        }
        do {
            let pid = try DetachedProcess.spawn(
                [DetachedProcess.currentExecutable, "router", "--control", routerSocketPath],
                environment: ProcessInfo.processInfo.environment,
                logPath: root.appendingPathComponent(".slipway/logs/router.log").path)
            try store.save(ProcessRecord(
                role: "router", identity: ProcessIdentity(host: ProcessIdentity.hostName, pid: pid,
                                                          startTime: ProcessIdentity.startTime(of: pid) ?? ""),
                socket: routerSocketPath))
        } catch {
            AgentLog.logger.error("cannot start the router: \(error)")
            return
        }
        let deadline = clock.now().addingTimeInterval(10)
        while clock.now() < deadline {
            if let link = try? makeRouter(routerSocketPath), await link.ping() {
                router = link
                do {
                    try await restoreRoutes(link)
                } catch {
                    AgentLog.logger.error("cannot restore the routes: \(error)")
                }
                return
            }
            try? await clock.sleep(seconds: 0.05)
        }
    }

    /// A new router process knows nothing: give it every stored route, upstream and split.
    private func restoreRoutes(_ link: any RouterLink) async throws {
        let slots = try store.slots(on: .thisHost).filter { $0.state == .running }
        for route in try store.routes(on: .thisHost) {
            let name = "\(route.component)/\(route.environment)"
            _ = try await link.ensureRoute(name, host: route.host, port: route.port)
            for slot in slots where slot.component == route.component && slot.environment == route.environment {
                guard let color = SlotColor(rawValue: slot.color) else { continue }
                try await link.setUpstream(name, color: color, port: slot.port)
            }
            try await link.setWeights(name, green: route.greenWeight)
        }
    }

    /// Takes over requests no agent executes, as soon as one is recorded, approved or left
    /// behind (`changes` tells), when the first request still in its hand-over grace is due, and
    /// every `orphanScanInterval` for what tells of itself by no event (an executor gone silent,
    /// an approval run out).
    private func scanForOrphans(on changes: StoreChanges) async {
        var seen: Int64 = 0
        var lastExpiry = Date.distantPast
        while !isStopping {
            let due = await serially { () -> Date? in
                guard !isStopping else { return nil }
                let now = clock.now()
                // A write: on the timer only, never for each event.
                if now.timeIntervalSince(lastExpiry) >= orphanScanInterval {
                    lastExpiry = now
                    try? store.expireOverdueApprovals(now: now)
                }
                return runs.takeOverOrphans(now: now)
            }
            let untilDue = due.map { $0.timeIntervalSince(clock.now()) + 0.01 } ?? orphanScanInterval
            seen = await changes.wait(after: seen, atMost: max(0.01, min(orphanScanInterval, untilDue)))
        }
    }

    private func supervise() async {
        DetachedProcess.reapExited()
        guard !isStopping else { return }
        if let problem = store.fileProblem {
            // Said once; the guard refuses every write meanwhile, and slots and the router serve on.
            if !toldStoreProblem { AgentLog.logger.error("\(problem)") }
            toldStoreProblem = true
        }
        let now = Date()
        if now.timeIntervalSince(lastHeartbeat) >= heartbeatInterval { recordHeartbeat(now: now) }
        await exitWhenIdle(now: now)
        let routerAnswers = await router?.ping() ?? false
        if !routerAnswers { await adoptOrStartRouter() }
        guard let warm = try? store.slots(on: .thisHost) else { return }
        await retireWarmSlots(warm, now: now)
        await abortOrphanedCanaries(now: now)
        // Read again: a slot just retired or aborted is stopped, not crashed, and must not be restarted.
        guard let slots = try? store.slots(on: .thisHost) else { return }
        for var slot in slots where slot.state == .running {
            let key = "\(slot.component)/\(slot.environment)/\(slot.color)"
            if DetachedProcess.isRunning(slot.pid) {
                if now.timeIntervalSince(slot.startedAt) > 30 { restartBackoff[key] = nil }
                continue
            }
            let backoff = restartBackoff[key] ?? (0, .distantPast)
            guard now >= backoff.notBefore else { continue }
            _ = try? store.append(NewEvent(
                .slotCrashed, component: slot.component, environment: slot.environment,
                details: EventDetails(version: slot.version, color: slot.color, reason: "the slot's process \(slot.pid) is gone; restarting",
                                      pid: Int(slot.pid))))
            let delay = min(30, 0.5 * pow(2, Double(backoff.attempts)))
            restartBackoff[key] = (backoff.attempts + 1, now.addingTimeInterval(delay))
            slot.restarts += 1
            let log = slot.logPath
            _ = try? await BlockingWork.run { SlotProcess.stopOrphanedRelease(log: log) }
            do {
                try launch(&slot)
                try store.save(slot, event: NewEvent(
                    .slotStarted, component: slot.component, environment: slot.environment,
                    details: EventDetails(version: slot.version, color: slot.color, reason: "restart \(slot.restarts)",
                                          pid: Int(slot.pid))))
            } catch {
                AgentLog.logger.error("cannot restart \(key): \(error)")
            }
        }
    }
}
