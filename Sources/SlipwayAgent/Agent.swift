import Foundation
import Logging
import SlipwayCore

#if canImport(Glibc)
import Glibc
#endif

/// `slipway agent`: one per workspace. It starts and supervises the router process and the
/// slot processes, answers the CLI and the console on a unix socket, and records what it does.
/// Every operation runs on one serial queue, so two switches of one component never interleave.
public final class Agent: @unchecked Sendable {
    let root: URL
    let store: EventStore
    let socketPath: String
    let queue = DispatchQueue(label: "slipway.agent")
    let runs: RequestedRuns
    private var router: (any RouterLink)?
    /// Set (on the queue) by `stop`.
    private var isStopping = false
    private var toldStoreProblem = false
    private var restartBackoff: [String: (attempts: Int, notBefore: Date)] = [:]
    /// Since when the agent has had nothing to do: no route, no running slot, no request.
    private var idleSince: Date?
    /// An agent of a workspace without routes (Makefile targets only) exits after this long idle;
    /// the next request starts one again.
    let idleExit: TimeInterval = 30
    private var lastOrphanScan = Date.distantPast
    /// The test hook for crash points: `SLIPWAY_CRASH_AT=<step>` makes the agent kill itself at that step.
    private let crashPoint = ProcessInfo.processInfo.environment["SLIPWAY_CRASH_AT"]
    private let makeRouter: @Sendable (String) throws -> any RouterLink
    /// How long requests in flight on a colour that lost its traffic may take, as the router's.
    let drainTimeout: TimeInterval = 30
    private var metrics: MetricsEndpoint?
    /// Seconds between two SLI collections; `SLIPWAY_SLI_INTERVAL` is the test hook that shortens it.
    private let sliInterval = ProcessInfo.processInfo.environment["SLIPWAY_SLI_INTERVAL"].flatMap(Double.init) ?? 10

    init(root: URL, store: EventStore, socketPath: String, makeRouter: @escaping @Sendable (String) throws -> any RouterLink) {
        self.root = root
        self.store = store
        self.socketPath = socketPath
        self.makeRouter = makeRouter
        runs = RequestedRuns(root: root, statePath: store.path, store: store)
    }

    /// Runs the agent of the workspace at `root` in this process, until `slipway agent stop`.
    public static func run(workspace root: URL, state: URL) throws -> Never {
        // One agent per workspace, whatever the socket says: the lock is held for the agent's life
        // and dropped by the kernel however it ends. (A busy agent once missed a ping and a second
        // one took over its socket.)
        let lockPath = state.deletingLastPathComponent().appendingPathComponent("agent.lock").path
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            throw SlipwayError.failure("an agent already runs for this workspace (\(lockPath) is locked)")
        }
        let store = try EventStore(path: state, actor: "agent")
        let socketPath = AgentClient(workspace: root, statePath: state).socketPath
        if AgentClient(workspace: root, statePath: state).isRunning {
            throw SlipwayError.failure("an agent already answers on \(socketPath)")
        }
        let agent = Agent(root: root, store: store, socketPath: socketPath) { path in ControlledRouter(socketPath: path) }
        try agent.serve()
    }

    var routerSocketPath: String { socketPath.replacingOccurrences(of: ".sock", with: ".router.sock") }

    /// Serves until asked to stop; never returns.
    func serve() throws -> Never {
        signal(SIGPIPE, SIG_IGN)
        // Slots and the router are reaped on each supervision pass (DetachedProcess.reapExited);
        // SIGCHLD keeps its default, so the goals and git commands a run starts can be waited for.
        let listener = try UnixSocket.listen(at: socketPath)
        try store.save(ProcessRecord(role: "agent", identity: .current, socket: socketPath))
        queue.sync {
            stopUnrecordedSlots()
            startParkedSlots()
            adoptOrStartRouter()
        }
        runs.takeOverOrphans()
        let supervisor = DispatchSource.makeTimerSource(queue: queue)
        supervisor.schedule(deadline: .now() + 0.5, repeating: 0.5)
        supervisor.setEventHandler { [self] in supervise() }
        supervisor.resume()
        let collector = SLICollector(root: root, store: store)
        let watch = SLOWatch(root: root, store: store)
        let sliTimer = DispatchSource.makeTimerSource(queue: queue)
        sliTimer.schedule(deadline: .now() + sliInterval, repeating: sliInterval)
        sliTimer.setEventHandler { [self] in
            guard !isStopping else { return }
            if let router { collector.collect(from: router) }
            watch.evaluate()
        }
        sliTimer.resume()
        let clock = SystemClock()
        let lagScraper = EventLagScraper(root: root, store: store)
        Task { await lagScraper.watch(clock: clock, pause: sliInterval) { [self] in !isStopping } }
        let liveHealth = LiveHealthWatch(root: root, store: store)
        Task {
            try? await clock.sleep(seconds: 0.5)
            await liveHealth.watch(clock: clock, pause: 0.25) { [self] in !isStopping }
        }
        let sinks = AlertSinks(root: root, store: store, clock: clock)
        Task { await sinks.watch(pause: 0.5) { true } }
        Task { await BackupScheduler(root: root, store: store).watch(clock: clock) { [self] in !isStopping } }
        startMetricsEndpoint()
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { continue }
            DispatchQueue.global().async { [self] in handle(connection) }
        }
    }

    /// Reads a request off the serial queue, so a slow client never holds the agent up, and
    /// answers a ping at once, so a busy agent is never taken for a dead one.
    private func handle(_ connection: Int32) {
        defer { close(connection) }
        // Only this user's processes may ask anything of the agent.
        guard UnixSocket.peerUID(connection) == getuid() else { return }
        let response: AgentResponse
        do {
            let line = try UnixSocket.readLine(from: connection, timeout: 10)
            let request = try JSONDecoder().decode(AgentRequest.self, from: Data(line.utf8))
            switch request.operation {
            case .ping:
                response = pong()
            case .execute:
                runs.execute(requestID: try required(request.requestID), environment: request.variables ?? [:])
                response = AgentResponse(ok: true)
            default:
                response = try queue.sync { try perform(request) }
            }
        } catch let error as SlipwayError {
            response = AgentResponse(ok: false, error: error.message)
        } catch {
            response = AgentResponse(ok: false, error: "\(error)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        if let data = try? encoder.encode(response) {
            try? UnixSocket.write(line: String(decoding: data, as: UTF8.self), to: connection)
        }
        if response.ok, response.socket == "stopping" {
            try? store.deleteProcess(role: "agent")
            unlink(socketPath)
            exit(0)
        }
        if response.ok, response.records != nil {
            // Handed over: the next agent, on the new store, supervises the slots and router.
            unlink(socketPath)
            exit(0)
        }
    }

    /// Kills the agent at `step` when `SLIPWAY_CRASH_AT` names it, once per store: the agent that
    /// takes over inherits the variable and must get past that step.
    func crash(at step: String) {
        guard crashPoint == step else { return }
        let marker = store.path.deletingLastPathComponent().appendingPathComponent("crashed-at-\(step)").path
        guard !FileManager.default.fileExists(atPath: marker) else { return }
        _ = FileManager.default.createFile(atPath: marker, contents: nil)
        kill(getpid(), SIGKILL)
    }

    // MARK: Operations

    private func perform(_ request: AgentRequest) throws -> AgentResponse {
        switch request.operation {
        case .ping:
            return pong()
        case .execute:
            throw SlipwayError.usage("execute is answered off the queue")
        case .handOver:
            isStopping = true
            var response = AgentResponse(ok: true)
            response.records = AgentRecords(routes: try store.routes(), slots: try store.slots(), router: try store.process(role: "router"))
            return response
        case .status:
            return try status(buckets: false)
        case .metrics:
            return try status(buckets: true)
        case .startSlot:
            return try startSlot(request)
        case .stopSlot:
            try stopSlot(component: try required(request.component), environment: try required(request.environment),
                         color: try required(request.color))
            return AgentResponse(ok: true)
        case .ensureRoute:
            var response = AgentResponse(ok: true)
            response.port = try ensureRoute(component: try required(request.component),
                                            environment: try required(request.environment), port: request.port,
                                            host: request.host)
            return response
        case .switchTraffic:
            try switchTraffic(component: try required(request.component), environment: try required(request.environment),
                              color: try required(request.color), greenWeight: request.greenWeight,
                              keepWarm: request.keepWarm ?? ComponentSettings().keepWarm)
            return AgentResponse(ok: true)
        case .stop:
            // From here on the timers on the queue do nothing: a supervision pass between this
            // answer and the exit would find the router gone and start a new one.
            isStopping = true
            // The colours with traffic are parked: the next agent starts them again, so
            // `agent stop` then `agent start` gives the fleet back as it was.
            let routes = try store.routes()
            for slot in try store.slots() where slot.state == .running {
                let route = routes.first { $0.component == slot.component && $0.environment == slot.environment }
                let weight = slot.color == "green" ? route?.greenWeight ?? 0 : 100 - (route?.greenWeight ?? 0)
                try stopSlot(
                    component: slot.component, environment: slot.environment, color: slot.color,
                    reason: "the agent was stopped", as: route != nil && weight > 0 ? .parked : .stopped)
            }
            router?.shutdown()
            if let record = try store.process(role: "router") { DetachedProcess.stop(pid: record.pid, grace: 5) }
            try store.deleteProcess(role: "router")
            var response = AgentResponse(ok: true)
            response.socket = "stopping"
            return response
        }
    }

    private func pong() -> AgentResponse {
        var response = AgentResponse(ok: true)
        response.pid = getpid()
        response.socket = socketPath
        return response
    }

    private func required(_ value: String?) throws -> String {
        guard let value, !value.isEmpty else { throw SlipwayError.usage("the request lacks a field") }
        return value
    }

    /// Slots and routes; `buckets` adds each colour's latency histogram, which only interval
    /// analysis (the canary) needs.
    private func status(buckets: Bool) throws -> AgentResponse {
        var response = AgentResponse(ok: true)
        response.metricsURL = metrics?.url
        response.metricsTokenFile = metrics?.token.file.path
        response.storeProblem = store.fileProblem
        response.pid = getpid()
        response.socket = socketPath
        response.routerPID = try store.process(role: "router")?.pid
        response.slots = try store.slots().map { slot in
            AgentResponse.Slot(
                component: slot.component, environment: slot.environment, color: slot.color, version: slot.version,
                port: slot.port, pid: slot.pid,
                state: slot.state == .running && !DetachedProcess.isRunning(slot.pid) ? .crashed : slot.state,
                restarts: slot.restarts, logPath: slot.logPath, warmUntil: slot.state == .running ? slot.retireAt : nil)
        }
        response.routes = try store.routes().map { route in
            let name = "\(route.component)/\(route.environment)"
            return AgentResponse.Route(
                component: route.component, environment: route.environment, url: "http://\(route.host):\(route.port)",
                liveColor: route.liveColor, weights: ["blue": 100 - route.greenWeight, "green": route.greenWeight],
                counts: (try? router?.counts(name))?.mapValues { counts in
                    var counts = counts
                    if !buckets { counts.latencyBuckets = nil }
                    return counts
                })
        }
        return response
    }

    private func startSlot(_ request: AgentRequest) throws -> AgentResponse {
        let component = try required(request.component)
        let environment = try required(request.environment)
        let color = try required(request.color)
        guard color == "blue" || color == "green" else { throw SlipwayError.usage("colour must be blue or green") }
        let command = request.command ?? []
        guard !command.isEmpty else { throw SlipwayError.usage("the slot needs a command") }
        waitForDrain(component: component, environment: environment, color: color)
        try stopSlot(component: component, environment: environment, color: color)
        crash(at: "start-slot-before-launch")
        let port = try PortAllocator.freePort()
        let logPath = root.appendingPathComponent(".slipway/logs/\(component)/\(environment)/\(color).log").path
        var variables = request.variables ?? [:]
        variables["PORT"] = String(port)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var slot = SlotRecord(
            component: component, environment: environment, color: color, version: request.version ?? "?", port: port,
            pid: 0, pidStartTime: "", host: ProcessIdentity.hostName, directory: request.directory ?? root.path,
            command: String(decoding: try encoder.encode(command), as: UTF8.self),
            variables: String(decoding: try encoder.encode(variables), as: UTF8.self), logPath: logPath,
            state: .running, restarts: 0, startedAt: Date())
        try launch(&slot)
        crash(at: "start-slot-before-record")
        try store.save(slot, event: NewEvent(
            .slotStarted, component: component, environment: environment,
            details: EventDetails(version: slot.version, color: color, pid: Int(slot.pid))))
        crash(at: "start-slot-after-record")
        var response = AgentResponse(ok: true)
        response.port = port
        response.pid = slot.pid
        return response
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

    func stopSlot(component: String, environment: String, color: String, reason: String? = nil, as state: SlotState = .stopped) throws {
        guard var slot = try store.slots().first(where: {
            $0.component == component && $0.environment == environment && $0.color == color
        }), slot.state == .running else { return }
        // Recorded first: an agent killed in between leaves a process that is not recorded as
        // running, which the next agent stops, rather than a record the supervisor would restart.
        slot.state = state
        slot.retireAt = nil
        try store.save(slot, event: NewEvent(
            .slotStopped, component: component, environment: environment,
            details: EventDetails(version: slot.version, color: color, reason: reason)))
        crash(at: "stop-slot-after-record")
        DetachedProcess.stop(pid: slot.pid)
        SlotProcess.stopOrphanedRelease(log: slot.logPath)
        let route = try store.routes().first { $0.component == component && $0.environment == environment }
        if route?.liveColor != color { try? router?.setUpstream("\(component)/\(environment)", color: color, port: nil) }
    }

    private func ensureRoute(component: String, environment: String, port requested: Int?, host requestedHost: String?) throws -> Int {
        let existing = try store.routes().first { $0.component == component && $0.environment == environment }
        let port = existing?.port ?? requested ?? 0
        let host = requestedHost ?? existing?.host ?? "127.0.0.1"
        guard let router else { throw SlipwayError.failure("the router is not running") }
        let name = "\(component)/\(environment)"
        if let existing, existing.host != host {
            // A new bind address: the listener moves (requests in flight drain), the split stays.
            try router.removeRoute(name)
            var moved = existing
            moved.host = host
            moved.port = try router.ensureRoute(name, host: host, port: existing.port)
            for slot in try store.slots() where slot.component == component && slot.environment == environment && slot.state == .running {
                try router.setUpstream(name, color: slot.color, port: slot.port)
            }
            try router.setWeights(name, green: existing.greenWeight)
            try store.save(moved)
            return moved.port
        }
        let bound = try router.ensureRoute(name, host: host, port: port)
        if existing == nil || existing?.port != bound {
            try store.save(RouteRecord(
                component: component, environment: environment, host: host, port: bound,
                liveColor: existing?.liveColor, greenWeight: existing?.greenWeight ?? 0))
        }
        return bound
    }

    /// Waits (at most the router's drain timeout) until no request of `color` is in flight, so
    /// stopping a colour that lost its traffic never cuts an answer off.
    func waitForDrain(component: String, environment: String, color: String) {
        guard let router else { return }
        let name = "\(component)/\(environment)"
        let deadline = Date().addingTimeInterval(drainTimeout)
        while Date() < deadline, let busy = try? router.inFlight(name, color: color), busy > 0 {
            usleep(50_000)
        }
    }

    func switchTraffic(component: String, environment: String, color: String, greenWeight: Int?, keepWarm: Double) throws {
        guard let router else { throw SlipwayError.failure("the router is not running") }
        let slots = try store.slots().filter {
            $0.component == component && $0.environment == environment && $0.state == .running
        }
        guard let target = slots.first(where: { $0.color == color }), DetachedProcess.isRunning(target.pid) else {
            throw SlipwayError.failure("no running \(color) slot of \(component) in \(environment) to switch to")
        }
        guard var route = try store.routes().first(where: { $0.component == component && $0.environment == environment }) else {
            throw SlipwayError.failure("\(component) has no route in \(environment) yet")
        }
        let name = "\(component)/\(environment)"
        crash(at: "switch-before-upstream")
        for slot in slots { try router.setUpstream(name, color: slot.color, port: slot.port) }
        let green = greenWeight ?? (color == "green" ? 100 : 0)
        crash(at: "switch-before-weights")
        try router.setWeights(name, green: green)
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
    private func startMetricsEndpoint() {
        let port = ProcessInfo.processInfo.environment["SLIPWAY_METRICS_PORT"].flatMap(Int.init) ?? 0
        do {
            let token = try MetricsToken.load(in: store.path.deletingLastPathComponent())
            let endpoint = try MetricsEndpoint(host: "127.0.0.1", port: port, token: token) { [self] reply in
                queue.async { reply(self.metricsText()) }
            }
            queue.sync { metrics = endpoint }
        } catch {
            AgentLog.logger.error("cannot serve /metrics on port \(port): \(error)")
        }
    }

    private func metricsText() -> String {
        var colors: [PrometheusExposition.ColorSample] = []
        for route in (try? store.routes()) ?? [] {
            guard let counts = try? router?.counts("\(route.component)/\(route.environment)") else { continue }
            for (color, counts) in counts.sorted(by: { $0.key < $1.key }) {
                colors.append(.init(component: route.component, environment: route.environment, color: color, counts: counts))
            }
        }
        let workspace = (try? Workspace.load(at: root))
        let slo = workspace.flatMap { try? SLOReport(store: store, workspace: $0, environment: nil) }?.entries ?? []
        return PrometheusExposition(colors: colors, slo: slo).text
    }

    // MARK: Supervision

    private func exitWhenIdle(now: Date) {
        let idle = !runs.isBusy && (try? store.routes().isEmpty) == true
            && (try? store.slots().contains { $0.state == .running }) == false
            && (try? store.orphanedRequests().isEmpty) == true
        guard idle else {
            idleSince = nil
            return
        }
        let since = idleSince ?? now
        idleSince = since
        guard now.timeIntervalSince(since) >= idleExit else { return }
        isStopping = true
        router?.shutdown()
        if let record = try? store.process(role: "router") { DetachedProcess.stop(pid: record.pid, grace: 5) }
        try? store.deleteProcess(role: "router")
        try? store.deleteProcess(role: "agent")
        unlink(socketPath)
        exit(0)
    }

    /// Starts again the slots that had traffic when the last agent was stopped.
    private func startParkedSlots() {
        guard let slots = try? store.slots() else { return }
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
    private func stopUnrecordedSlots() {
        guard let slots = try? store.slots() else { return }
        let logs = root.appendingPathComponent(".slipway/logs").path
        for (pid, log) in SlotProcess.processes(loggingUnder: logs) {
            let record = slots.first { $0.logPath == log }
            if let record, record.state == .running, record.pid == pid { continue }
            DetachedProcess.stop(pid: pid)
            SlotProcess.stopOrphanedRelease(log: log)
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
    private func retireWarmSlots(_ slots: [SlotRecord], now: Date) {
        guard let routes = try? store.routes() else { return }
        for var slot in slots where slot.state == .running {
            guard let retireAt = slot.retireAt, retireAt <= now else { continue }
            let route = routes.first { $0.component == slot.component && $0.environment == slot.environment }
            let weight = slot.color == "green" ? route?.greenWeight ?? 0 : 100 - (route?.greenWeight ?? 0)
            if weight > 0 {
                slot.retireAt = nil
                try? store.save(slot)
                continue
            }
            let name = "\(slot.component)/\(slot.environment)"
            if let busy = try? router?.inFlight(name, color: slot.color), busy > 0,
               now < retireAt.addingTimeInterval(drainTimeout) {
                continue
            }
            try? stopSlot(component: slot.component, environment: slot.environment, color: slot.color,
                          reason: "kept warm until \(ISO8601DateFormatter().string(from: retireAt)); no traffic since")
        }
    }

    private func adoptOrStartRouter() {
        if let record = try? store.process(role: "router"), record.identity.isAlive(lastHeartbeat: Date()),
           let link = try? makeRouter(record.socket), link.ping() {
            router = link
            // The store is the record of what was asked: an agent killed halfway through a switch
            // leaves the router as the store says, with exactly one live colour.
            do {
                try restoreRoutes(link)
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
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let link = try? makeRouter(routerSocketPath), link.ping() {
                router = link
                do {
                    try restoreRoutes(link)
                } catch {
                    AgentLog.logger.error("cannot restore the routes: \(error)")
                }
                return
            }
            usleep(50_000)
        }
    }

    /// A new router process knows nothing: give it every stored route, upstream and split.
    private func restoreRoutes(_ link: any RouterLink) throws {
        let slots = try store.slots().filter { $0.state == .running }
        for route in try store.routes() {
            let name = "\(route.component)/\(route.environment)"
            _ = try link.ensureRoute(name, host: route.host, port: route.port)
            for slot in slots where slot.component == route.component && slot.environment == route.environment {
                try link.setUpstream(name, color: slot.color, port: slot.port)
            }
            try link.setWeights(name, green: route.greenWeight)
        }
    }

    private func supervise() {
        DetachedProcess.reapExited()
        guard !isStopping else { return }
        if let problem = store.fileProblem {
            // Said once; the guard refuses every write meanwhile, and slots and the router serve on.
            if !toldStoreProblem { AgentLog.logger.error("\(problem)") }
            toldStoreProblem = true
        }
        let now = Date()
        if now.timeIntervalSince(lastOrphanScan) > 2 {
            lastOrphanScan = now
            try? store.expireOverdueApprovals(now: now)
            runs.takeOverOrphans()
        }
        exitWhenIdle(now: now)
        if router.map({ !$0.ping() }) ?? true { adoptOrStartRouter() }
        guard let warm = try? store.slots() else { return }
        retireWarmSlots(warm, now: now)
        abortOrphanedCanaries(now: now)
        // Read again: a slot just retired or aborted is stopped, not crashed, and must not be restarted.
        guard let slots = try? store.slots() else { return }
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
            SlotProcess.stopOrphanedRelease(log: slot.logPath)
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
