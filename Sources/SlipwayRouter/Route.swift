import NIOCore
import Synchronization

/// One listener and its two colours: which colour each request goes to, the keep-alive pool of
/// upstream connections, draining a colour that lost its traffic, and the counters. Every method
/// is safe to call from any thread; the lock is held only for bookkeeping, never for I/O.
final class Route: Sendable {
    /// An upstream address as set by one `setUpstream` call.
    struct Target: Sendable {
        var address: UpstreamAddress
        var generation: Int
    }

    /// How a request gets its upstream connection.
    enum Lease {
        case pooled(UpstreamConnection)
        case connect(SlotColor, Target)
        /// The chosen colour has no upstream.
        case unavailable(SlotColor)
    }

    /// The upstream of each colour, as two fields rather than a dictionary, which would hash the
    /// colour twice for every request (its lease and its release).
    private struct Targets {
        private var blue: Target?
        private var green: Target?

        subscript(color: SlotColor) -> Target? {
            get {
                switch color {
                case .blue: blue
                case .green: green
                }
            }
            set {
                switch color {
                case .blue: blue = newValue
                case .green: green = newValue
                }
            }
        }
    }

    private struct State {
        var port = 0
        var listener: (any Channel)?
        var picker = SmoothWeightedRoundRobin(weights: .allBlue)
        var upstreams = Targets()
        var nextGeneration = 0
        var idle: [UpstreamConnection] = []
        var open: [ObjectIdentifier: UpstreamConnection] = [:]
        var clients: [ObjectIdentifier: any Channel] = [:]
        /// Clients being served, out of `clients`; the others are being told 503.
        var admittedClients = 0
        var metrics: RouteMetrics
        var isClosing = false

        /// Open upstream connections of `color` that are not waiting in the pool: busy with a request.
        func inFlight(_ color: SlotColor) -> Int {
            open.values.count { $0.color == color } - idle.count { $0.color == color }
        }

        /// Whether new requests may still use this connection: its colour keeps some traffic
        /// and still points where it pointed when the connection was opened.
        func isCurrent(_ connection: UpstreamConnection) -> Bool {
            !isClosing
                && upstreams[connection.color]?.generation == connection.generation
                && picker.weights.percent(for: connection.color) > 0
        }
    }

    let name: String
    let host: String
    let configuration: RouterConfiguration
    let flushBatches: UpstreamFlushBatches
    /// Runs the drain deadlines.
    private let timerLoop: any EventLoop
    private let state: Mutex<State>

    init(
        name: String, host: String, configuration: RouterConfiguration, flushBatches: UpstreamFlushBatches,
        timerLoop: any EventLoop
    ) {
        self.name = name
        self.host = host
        self.configuration = configuration
        self.flushBatches = flushBatches
        self.timerLoop = timerLoop
        self.state = Mutex(State(metrics: RouteMetrics(route: name)))
    }

    func attach(listener: any Channel, port: Int) {
        state.withLock { state in
            state.listener = listener
            state.port = port
        }
    }

    // MARK: Requests

    /// Picks the colour of the next request and a connection for it on `eventLoop`. The pick
    /// happens under the lock, so a weight change that returned applies to every later request.
    func lease(on eventLoop: any EventLoop) -> Lease {
        state.withLock { state in
            let color = state.picker.next()
            guard let target = state.upstreams[color] else {
                return .unavailable(color)
            }
            let pooled = state.idle.lastIndex {
                $0.color == color && $0.generation == target.generation
                    && $0.eventLoop === eventLoop && $0.channel.isActive
            }
            if let pooled {
                return .pooled(state.idle.remove(at: pooled))
            }
            return .connect(color, target)
        }
    }

    /// Tracks a freshly opened connection so that switches and removal can close it.
    func register(_ connection: UpstreamConnection) {
        let isCurrent = state.withLock { state in
            state.open[ObjectIdentifier(connection)] = connection
            return state.isCurrent(connection)
        }
        connection.channel.closeFuture.whenComplete { _ in
            self.forget(connection)
        }
        // Opened for a request that arrived before a switch the connect raced with: it drains too.
        if !isCurrent {
            scheduleDrainDeadline(for: [connection])
        }
    }

    /// Takes back a connection whose response ended: kept for the next request while its colour
    /// is current, closed otherwise (which is how busy connections of a drained colour go away).
    func release(_ connection: UpstreamConnection, reusable: Bool) {
        let kept = state.withLock { state in
            // The pool's colours are counted only when the whole pool could be over the limit.
            guard reusable, state.isCurrent(connection), connection.channel.isActive,
                state.idle.count < configuration.maximumIdleConnectionsPerColor
                    || state.idle.count(where: { $0.color == connection.color })
                        < configuration.maximumIdleConnectionsPerColor
            else {
                return false
            }
            state.idle.append(connection)
            return true
        }
        if kept {
            connection.setReading(true)
        } else {
            connection.channel.close(promise: nil)
        }
    }

    func record(_ color: SlotColor, statusCode: Int, connectionFailed: Bool, since start: NIODeadline) {
        guard configuration.recordsMetrics else { return }
        let microseconds = UInt64(max(0, (NIODeadline.now() - start).nanoseconds / 1000))
        state.withLock { state in
            state.metrics.record(color, statusCode: statusCode, connectionFailed: connectionFailed, microseconds: microseconds)
        }
    }

    private func forget(_ connection: UpstreamConnection) {
        state.withLock { state in
            state.open[ObjectIdentifier(connection)] = nil
            state.idle.removeAll { $0 === connection }
        }
    }

    // MARK: Client connections

    /// Whether a new client connection is served.
    enum Admission {
        case admitted
        /// The route has ``RouterConfiguration/maximumClientConnections`` already: answer 503.
        case overLimit
        /// The route is being removed: close the connection.
        case closing
    }

    /// Remembers a client connection so that removing the route can drain it, and counts it
    /// against the route's cap unless it is over it.
    func track(client channel: any Channel) -> Admission {
        let admission = state.withLock { state -> Admission in
            guard !state.isClosing else { return .closing }
            state.clients[ObjectIdentifier(channel)] = channel
            guard state.admittedClients < configuration.maximumClientConnections else { return .overLimit }
            state.admittedClients += 1
            return .admitted
        }
        if case .closing = admission { return admission }
        let admitted = if case .admitted = admission { true } else { false }
        channel.closeFuture.whenComplete { _ in
            self.state.withLock { state in
                state.clients.removeValue(forKey: ObjectIdentifier(channel))
                if admitted {
                    state.admittedClients -= 1
                }
            }
        }
        return admission
    }

    // MARK: Switching

    func setUpstream(_ address: UpstreamAddress?, for color: SlotColor) {
        changeTraffic { state in
            guard let address else {
                state.upstreams[color] = nil
                return
            }
            // Setting the same address again (an agent re-adopting this router) keeps the pool.
            guard state.upstreams[color]?.address != address else { return }
            state.nextGeneration += 1
            state.upstreams[color] = Target(address: address, generation: state.nextGeneration)
        }
    }

    func setWeights(_ weights: TrafficWeights) {
        changeTraffic { state in
            // A fresh picker makes the split exact from the moment of the change.
            state.picker = SmoothWeightedRoundRobin(weights: weights)
        }
    }

    /// Applies a change, closes the idle connections it retired, and gives the busy ones the
    /// drain timeout to finish their responses.
    private func changeTraffic(_ change: (inout State) -> Void) {
        let (idle, busy) = state.withLock { state in
            change(&state)
            let current = state.idle.filter { state.isCurrent($0) }
            let retiredIdle = state.idle.filter { !state.isCurrent($0) }
            state.idle = current
            let busy = state.open.values.filter { connection in
                !state.isCurrent(connection) && !retiredIdle.contains { $0 === connection }
            }
            return (retiredIdle, busy)
        }
        for connection in idle {
            connection.channel.close(promise: nil)
        }
        if !busy.isEmpty {
            scheduleDrainDeadline(for: busy)
        }
    }

    private func scheduleDrainDeadline(for connections: [UpstreamConnection]) {
        timerLoop.scheduleTask(in: TimeAmount(configuration.drainTimeout)) {
            // A colour switched back in the meantime keeps its connections.
            let overdue = self.state.withLock { state in
                connections.filter { state.open[ObjectIdentifier($0)] != nil && !state.isCurrent($0) }
            }
            for connection in overdue {
                connection.channel.close(promise: nil)
            }
        }
    }

    // MARK: Reading

    func metrics() -> RouteMetrics {
        state.withLock { $0.metrics }
    }

    func summary() -> RouteSummary {
        state.withLock { state in
            RouteSummary(
                name: name, host: host, port: state.port, weights: state.picker.weights,
                blueUpstream: state.upstreams[.blue]?.address,
                greenUpstream: state.upstreams[.green]?.address,
                blueInFlight: state.inFlight(.blue),
                greenInFlight: state.inFlight(.green)
            )
        }
    }

    // MARK: Removal

    /// Stops accepting, lets the requests in flight finish within the drain timeout, then
    /// closes whatever is still open. Returns when the listener and every connection are closed.
    func close() async {
        let (listener, clients, idle) = state.withLock { state in
            state.isClosing = true
            let idle = state.idle
            state.idle = []
            return (state.listener, Array(state.clients.values), idle)
        }
        try? await listener?.close().get()
        for connection in idle {
            connection.channel.close(promise: nil)
        }
        // The HTTP server pipeline closes idle clients now and busy ones after their response.
        for client in clients {
            client.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        }
        let deadline = timerLoop.scheduleTask(in: TimeAmount(configuration.drainTimeout)) {
            for client in clients {
                client.close(promise: nil)
            }
        }
        try? await EventLoopFuture.andAllComplete(clients.map(\.closeFuture), on: timerLoop).get()
        deadline.cancel()
        let leftovers = state.withLock { Array($0.open.values) }
        for connection in leftovers {
            connection.channel.close(promise: nil)
        }
        try? await EventLoopFuture.andAllComplete(leftovers.map(\.channel.closeFuture), on: timerLoop).get()
    }
}
