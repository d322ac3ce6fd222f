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

    /// Sends `request` and returns the answer; throws the agent's own error message.
    public func send(_ request: AgentRequest, timeout: Double = 60) throws(SlipwayError) -> AgentResponse {
        let descriptor = try UnixSocket.connect(to: socketPath)
        defer { close(descriptor) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(request) else { throw .failure("cannot encode the agent request") }
        do {
            try UnixSocket.write(line: String(decoding: data, as: UTF8.self), to: descriptor)
        } catch {
            throw .failure("the agent on \(socketPath) did not take the request (\(error.message)): was it stopped or killed?")
        }
        let line = try UnixSocket.readLine(from: descriptor, timeout: timeout)
        guard let response = try? JSONDecoder().decode(AgentResponse.self, from: Data(line.utf8)) else {
            throw .failure("the agent answered something that is not a response: \(line.prefix(200))")
        }
        guard response.ok else { throw .failure(response.error ?? "the agent refused without a reason") }
        return response
    }

    /// Whether an agent answers on the socket.
    public var isRunning: Bool {
        (try? send(AgentRequest(.ping), timeout: 2)) != nil
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
        _ = try DetachedProcess.spawn(
            [DetachedProcess.currentExecutable, "agent", "serve", "--workspace", workspace.path, "--state", statePath.path],
            environment: ProcessInfo.processInfo.environment,
            logPath: logDirectory.appendingPathComponent("agent.log").path)
        if try await answers(within: 15, pause: 0.05, clock: clock) { return }
        throw .failure("the agent did not start within 15s; see \(logDirectory.path)/agent.log")
    }

    /// Whether an agent answers within `seconds` of `clock`, asked every `pause` seconds.
    func answers(within seconds: Double, pause: Double, clock: any EngineClock) async throws(SlipwayError) -> Bool {
        let deadline = clock.now().addingTimeInterval(seconds)
        while clock.now() < deadline {
            if await answers() { return true }
            do {
                try await clock.sleep(seconds: pause)
            } catch {
                throw .failure("cancelled while waiting for the agent on \(socketPath)")
            }
        }
        return false
    }

    /// `isRunning` off the cooperative threads: a ping waits on the socket.
    private func answers() async -> Bool {
        let client = self
        return (try? await BlockingWork.run { () throws(SlipwayError) in client.isRunning }) ?? false
    }
}
