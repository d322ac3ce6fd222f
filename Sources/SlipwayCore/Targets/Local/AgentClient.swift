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
        try UnixSocket.write(line: String(decoding: data, as: UTF8.self), to: descriptor)
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

    /// Starts the agent (detached, in its own session) unless one answers, and waits until it does.
    public func start() throws(SlipwayError) {
        if isRunning { return }
        if isLocked {
            // An agent holds the workspace but did not answer in time: wait for it rather than
            // starting a second one.
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline {
                if isRunning { return }
                usleep(100_000)
            }
        }
        try PrivateDirectory.prepare((socketPath as NSString).deletingLastPathComponent)
        let logDirectory = workspace.appendingPathComponent(".slipway/logs")
        try? FileManager.default.createDirectory(at: logDirectory, withIntermediateDirectories: true)
        _ = try DetachedProcess.spawn(
            [DetachedProcess.currentExecutable, "agent", "serve", "--workspace", workspace.path, "--state", statePath.path],
            environment: ProcessInfo.processInfo.environment,
            logPath: logDirectory.appendingPathComponent("agent.log").path)
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if isRunning { return }
            usleep(50_000)
        }
        throw .failure("the agent did not start within 15s; see \(logDirectory.path)/agent.log")
    }
}
