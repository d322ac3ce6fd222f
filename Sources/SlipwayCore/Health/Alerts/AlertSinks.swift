import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Drains the store's alert outbox to the configured sinks on its own queue, so a sink that
/// hangs holds up neither the agent's other work nor any deploy. Each drain claims its rows for a
/// lease first, so agents draining one store at once deliver every row once. A sink that fails is
/// left alone for a while that doubles with each failure (up to 30 s); each delivery is marked
/// once it succeeded.
public final class AlertSinks: @unchecked Sendable {
    let root: URL
    let store: EventStore
    /// Who claims the rows: this agent, by host, pid and a random part.
    let owner: String
    /// Where PagerDuty routing keys are read from (the agent's environment).
    let environment: [String: String]
    public let queue = DispatchQueue(label: "slipway.agent.alerts")
    /// Per sink: consecutive failures and the time before which it is not tried again.
    private var backoff: [String: (failures: Int, notBefore: Date)] = [:]

    public init(
        root: URL, store: EventStore, owner: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.root = root
        self.store = store
        self.owner = owner ?? "\(ProcessInfo.processInfo.hostName)/\(getpid())/\(UUID().uuidString.prefix(8))"
        self.environment = environment
    }

    /// Delivers what is due; runs on `queue`.
    public func drain(now: Date = Date()) {
        let settings = (try? Workspace.load(at: root))?.config.alerts ?? AlertSettings()
        // Rows of a sink that failed just before stay unclaimed for another agent (or later);
        // a claim outlives every attempt of its batch, each of which may take the timeout.
        let batch = 10
        while true {
            let resting = backoff.filter { $0.value.notBefore > Date() }.map(\.key)
            guard let due = try? store.claimDeliveries(
                by: owner, lease: (settings.timeout + 1) * Double(batch) + 30, excluding: resting, at: now, limit: batch),
                !due.isEmpty else { return }
            for delivery in due {
                if let wait = backoff[delivery.sink], wait.notBefore > Date() {
                    try? store.releaseClaim(delivery.id)
                    continue
                }
                let error = deliver(delivery, settings: settings)
                if let error {
                    let failures = (backoff[delivery.sink]?.failures ?? 0) + 1
                    let next = Date().addingTimeInterval(min(30, 0.5 * pow(2, Double(failures - 1))))
                    backoff[delivery.sink] = (failures, next)
                    try? store.recordAttempt(delivery.id, error: error, nextAttempt: next)
                } else {
                    backoff[delivery.sink] = nil
                    try? store.recordAttempt(delivery.id, error: nil, nextAttempt: Date())
                }
            }
        }
    }

    /// One attempt; nil when delivered, else what went wrong.
    private func deliver(_ delivery: EventStore.AlertDelivery, settings: AlertSettings) -> String? {
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
            return run(sink.command ?? "", input: body, timeout: settings.timeout)
        }
        guard let address = sink.url, let url = URL(string: address) else { return "sink \(sink.name) has no URL" }
        return post(body, to: url, timeout: settings.timeout)
    }

    private func post(_ payload: String, to url: URL, timeout: Double) -> String? {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(payload.utf8)
        let outcome = Outcome()
        let semaphore = DispatchSemaphore(value: 0)
        let task = URLSession.shared.dataTask(with: request) { _, response, error in
            if let error {
                outcome.error = "POST \(url.absoluteString): \(error.localizedDescription)"
            } else if let status = (response as? HTTPURLResponse)?.statusCode, !(200..<300).contains(status) {
                outcome.error = "POST \(url.absoluteString) answered \(status)"
            }
            semaphore.signal()
        }
        task.resume()
        if semaphore.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            return "POST \(url.absoluteString): no answer within \(DurationText.format(timeout))"
        }
        return outcome.error
    }

    private func run(_ command: String, input: String, timeout: Double) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = root
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return "cannot run \(command): \(error.localizedDescription)"
        }
        try? stdin.fileHandleForWriting.write(contentsOf: Data((input + "\n").utf8))
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            return "\(command): still running after \(DurationText.format(timeout)), stopped"
        }
        return process.terminationStatus == 0 ? nil : "\(command) exited \(process.terminationStatus)"
    }
}

/// The result of an URLSession callback, written once before the semaphore signals.
private final class Outcome: @unchecked Sendable {
    var error: String?
}
