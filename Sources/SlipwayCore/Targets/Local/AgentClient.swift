import Foundation

/// Talks to the workspace's agent over its unix socket, starting the agent when none answers.
public struct AgentClient: Sendable {
    public var socketPath: String
    public var workspace: URL
    public var statePath: URL

    public init(workspace: URL, statePath: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.workspace = workspace
        self.statePath = statePath
        socketPath = Self.socketPath(for: workspace, environment: environment)
    }

    /// `$XDG_RUNTIME_DIR/slipway/` or `/tmp/slipway-$UID/`, and a short name from the workspace's
    /// path, so the path stays well under the kernel's 108 bytes.
    public static func socketPath(for workspace: URL, environment: [String: String]) -> String {
        let directory = environment["XDG_RUNTIME_DIR"].flatMap { $0.isEmpty ? nil : "\($0)/slipway" } ?? "/tmp/slipway-\(getuid())"
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in workspace.standardizedFileURL.path.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "\(directory)/agent-\(String(hash, radix: 36)).sock"
    }

    /// Sends `request` and returns the answer, off the cooperative threads (the socket call
    /// blocks one); a refusal is thrown as the agent's own message.
    public func send(_ request: AgentRequest, timeout: Double = 60) async throws(SlipwayError) -> AgentResponse {
        let client = self
        return try await BlockingWork.run { () throws(SlipwayError) in try client.exchange(request, timeout: timeout) }
    }

    /// The agent's pid, from a ping.
    public func pid(timeout: Double = 60) async throws(SlipwayError) -> Int32 {
        let response = try await send(.ping, timeout: timeout)
        guard case .pong(let pid, _) = response else { throw unexpected(response, to: .ping) }
        return pid
    }

    /// The agent, its slots and routes; `metrics` adds each colour's latency histogram.
    public func status(metrics: Bool = false, timeout: Double = 60) async throws(SlipwayError) -> AgentResponse.Status {
        let request: AgentRequest = metrics ? .metrics : .status
        let response = try await send(request, timeout: timeout)
        guard case .status(let status) = response else { throw unexpected(response, to: request) }
        return status
    }

    /// The error for an answer that does not fit the request: an agent of another build.
    public func unexpected(_ response: AgentResponse, to request: AgentRequest) -> SlipwayError {
        SlipwayError(.agent(.unexpectedAnswer(socket: socketPath, response: "\(response)", request: "\(request)")))
    }

    private func exchange(_ request: AgentRequest, timeout: Double) throws(SlipwayError) -> AgentResponse {
        let descriptor = try UnixSocket.connect(to: socketPath)
        defer { close(descriptor) }
        guard let data = try? JSONEncoder().encode(request) else { throw SlipwayError(.agent(.cannotEncodeRequest)) }
        do {
            try UnixSocket.write(line: String(decoding: data, as: UTF8.self), to: descriptor)
        } catch {
            throw SlipwayError(.agent(.requestNotTaken(socket: socketPath, problem: error.message)))
        }
        let line = try UnixSocket.readLine(from: descriptor, timeout: timeout)
        guard let response = try? JSONDecoder().decode(AgentResponse.self, from: Data(line.utf8)) else {
            throw SlipwayError(.agent(.notAResponse(line: String(line.prefix(200)))))
        }
        if case .refused(let reason) = response { throw .failure(reason) }
        return response
    }

    /// Whether an agent answers on the socket. Blocks its thread up to 2 s: async code asks
    /// ``answers()`` instead.
    public var isRunning: Bool {
        (try? exchange(.ping, timeout: 2)) != nil
    }

    /// Whether an agent process holds the workspace's agent lock (it may be too busy to answer).
    public var isLocked: Bool {
        let lock = open(statePath.deletingLastPathComponent().appendingPathComponent("agent.lock").path, O_RDWR | O_CLOEXEC)
        guard lock >= 0 else { return false }
        defer { close(lock) }
        if flock(lock, LOCK_EX | LOCK_NB) == 0 {
            flock(lock, LOCK_UN)
            return false
        }
        return true
    }

    /// Starts the agent (detached, in its own session) unless one answers, and waits until it
    /// does. The waits are on `clock`; it stays the system's even in virtual-time tests of the
    /// engine, since a process starting takes real time.
    public func start(clock: any EngineClock = SystemClock()) async throws(SlipwayError) {
        if await answers() { return }
        if isLocked {
            // An agent holds the workspace but did not answer in time: wait for it rather than
            // starting a second one.
            if try await answers(within: 15, pause: 0.1, clock: clock) { return }
        }
        try PrivateDirectory.prepare((socketPath as NSString).deletingLastPathComponent)
        let logDirectory = workspace.appendingPathComponent(".slipway/logs")
        try? FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        // The state only when it is not the workspace's own: with a shared store chosen there is no
        // store file to name, and the agent finds the store as every command does.
        let isDefaultState = statePath.standardizedFileURL.path
            == workspace.appendingPathComponent(".slipway/state.db").standardizedFileURL.path
        _ = try DetachedProcess.spawn(
            [DetachedProcess.currentExecutable, "agent", "serve", "--workspace", workspace.path]
                + (isDefaultState ? [] : ["--state", statePath.path]),
            environment: ProcessInfo.processInfo.environment,
            logPath: logDirectory.appendingPathComponent("agent.log").path)
        if try await answers(within: 15, pause: 0.05, clock: clock) { return }
        throw SlipwayError(.agent(.didNotStart(logFolder: logDirectory.path)))
    }

    /// Whether an agent answers within `seconds` of `clock`, asked every `pause` seconds.
    func answers(within seconds: Double, pause: Double, clock: any EngineClock) async throws(SlipwayError) -> Bool {
        let deadline = clock.now().addingTimeInterval(seconds)
        while clock.now() < deadline {
            if await answers() { return true }
            do {
                try await clock.sleep(seconds: pause)
            } catch {
                throw SlipwayError(.agent(.cancelledWaiting(socket: socketPath)))
            }
        }
        return false
    }

    /// `isRunning` off the cooperative threads: a ping waits on the socket.
    public func answers() async -> Bool {
        let client = self
        return (try? await BlockingWork.run { () throws(SlipwayError) in client.isRunning }) ?? false
    }
}
