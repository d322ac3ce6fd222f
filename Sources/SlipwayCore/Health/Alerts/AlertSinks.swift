import AsyncHTTPClient
import Foundation
import NIOCore
import Subprocess
import SystemPackage

/// Drains the store's alert outbox to the configured sinks in a task of its own (one pass at a
/// time), so a sink that hangs holds up neither the agent's other work nor any deploy. Each pass
/// claims its rows for a lease first, so agents draining one store at once deliver every row
/// once. A sink that fails is left alone for a while that doubles with each failure (up to 30 s);
/// each delivery is marked once it succeeded.
public final class AlertSinks: @unchecked Sendable {
    let root: URL
    let store: EventStore
    let clock: any EngineClock
    /// Who claims the rows: this agent, by host, pid and a random part.
    let owner: String
    /// Where PagerDuty routing keys are read from (the agent's environment).
    let environment: [String: String]
    /// Per sink: consecutive failures and the time before which it is not tried again.
    private var backoff: [String: (failures: Int, notBefore: Date)] = [:]

    public init(
        root: URL, store: EventStore, clock: any EngineClock = SystemClock(), owner: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.root = root
        self.store = store
        self.clock = clock
        self.owner = owner ?? "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(UUID().uuidString.prefix(8))"
        self.environment = environment
    }

    /// A pass every `pause` seconds while `running` says so.
    public func watch(pause: Double, while running: @escaping @Sendable () -> Bool) async {
        while running() {
            do {
                try await clock.sleep(seconds: pause)
            } catch {
                return
            }
            await drain(now: clock.now())
        }
    }

    /// Delivers what is due at `now`.
    public func drain(now: Date) async {
        let settings = (try? Workspace.load(at: root))?.config.alerts ?? AlertSettings()
        // Rows of a sink that failed just before stay unclaimed for another agent (or later);
        // a claim outlives every attempt of its batch, each of which may take the timeout.
        let batch = 10
        while true {
            let resting = backoff.filter { $0.value.notBefore > clock.now() }.map(\.key)
            guard let due = try? store.claimDeliveries(
                by: owner, lease: (settings.timeout + 1) * Double(batch) + 30, excluding: resting, at: now, limit: batch),
                !due.isEmpty else { return }
            for delivery in due {
                if let wait = backoff[delivery.sink], wait.notBefore > clock.now() {
                    try? store.releaseClaim(delivery.id)
                    continue
                }
                let error = await deliver(delivery, settings: settings)
                if let error {
                    let failures = (backoff[delivery.sink]?.failures ?? 0) + 1
                    let next = clock.now().addingTimeInterval(min(30, 0.5 * pow(2, Double(failures - 1))))
                    backoff[delivery.sink] = (failures, next)
                    try? store.recordAttempt(delivery.id, error: error, nextAttempt: next)
                } else {
                    backoff[delivery.sink] = nil
                    try? store.recordAttempt(delivery.id, error: nil, nextAttempt: clock.now())
                }
            }
        }
    }

    /// One attempt; nil when delivered, else what went wrong.
    private func deliver(_ delivery: AlertDelivery, settings: AlertSettings) async -> String? {
        guard let sink = settings.sink(named: delivery.sink) else { return "no sink \(delivery.sink) configured" }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard let alert = try? decoder.decode(Alert.self, from: Data(delivery.payload.utf8)) else {
            return "the outbox row \(delivery.id) holds no alert"
        }
        let routingKey = sink.routingKeyEnv.flatMap { environment[$0] }
        if sink.kind == .pagerduty, routingKey?.isEmpty ?? true {
            return "\(sink.routingKeyEnv ?? "routing_key_env") is not set in the agent's environment"
        }
        let body = AlertPayload.body(alert, for: sink.kind, routingKey: routingKey)
        if sink.kind == .command {
            return await run(sink.command ?? "", input: body, timeout: settings.timeout)
        }
        guard let address = sink.url, let url = URL(string: address) else { return "sink \(sink.name) has no URL" }
        return await post(body, to: url, timeout: settings.timeout)
    }

    private func post(_ payload: String, to url: URL, timeout: Double) async -> String? {
        let clock = self.clock
        // Timed on the engine's clock as well, so tests move past a hung sink in virtual time.
        return await withTaskGroup(of: String?.self) { group in
            group.addTask { await AlertSinks.send(payload, to: url, timeout: timeout) }
            group.addTask {
                try? await clock.sleep(seconds: timeout + 1)
                return Task.isCancelled ? nil : "POST \(url.absoluteString): no answer within \(DurationText.format(timeout))"
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
    private static func send(_ payload: String, to url: URL, timeout: Double) async -> String? {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: payload))
        do {
            let response = try await HTTPClient.platform.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            // Read to the end, so the connection can be reused; a sink's answer is not needed.
            for try await _ in response.body {}
            return (200..<300).contains(response.status.code) ? nil : "POST \(url.absoluteString) answered \(response.status.code)"
        } catch {
            return "POST \(url.absoluteString): \(error)"
        }
    }

    /// Runs the sink's command with the alert on its standard input; one that outlives `timeout`
    /// (on the engine's clock) is stopped: SIGTERM, then SIGKILL 2 s later if it is still there.
    private func run(_ command: String, input: String, timeout: Double) async -> String? {
        let root = self.root
        let clock = self.clock
        let ended = await withTaskGroup(of: String??.self) { group in
            group.addTask {
                var options = PlatformOptions()
                options.teardownSequence = [.gracefulShutDown(allowedDurationToNextStep: .seconds(2))]
                do {
                    let result = try await Subprocess.run(
                        .path("/bin/sh"), arguments: ["-c", command], workingDirectory: FilePath(root.path),
                        platformOptions: options, input: .string(input + "\n"), output: .discarded, error: .discarded)
                    switch result.terminationStatus {
                    case .exited(0): return .some(nil)
                    case .exited(let code): return .some("\(command) exited \(code)")
                    case .signaled(let signal): return .some("\(command) was killed by signal \(signal)")
                    }
                } catch {
                    return .some("cannot run \(command): \(error)")
                }
            }
            group.addTask {
                try? await clock.sleep(seconds: timeout)
                return .none
            }
            let first = await group.next() ?? .none
            // Cancelled, a command still running is torn down by Subprocess.
            group.cancelAll()
            return first
        }
        guard let ended else { return "\(command): still running after \(DurationText.format(timeout)), stopped" }
        return ended
    }
}
