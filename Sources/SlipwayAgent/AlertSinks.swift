import Foundation
import SlipwayCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Drains the store's alert outbox to the configured sinks on its own queue, so a sink that
/// hangs holds up neither the agent's other work nor any deploy. A sink that fails is left alone
/// for a while that doubles with each failure (up to 30 s); each delivery is marked once it succeeded.
final class AlertSinks: @unchecked Sendable {
    let root: URL
    let store: EventStore
    let queue = DispatchQueue(label: "slipway.agent.alerts")
    /// Per sink: consecutive failures and the time before which it is not tried again.
    private var backoff: [String: (failures: Int, notBefore: Date)] = [:]

    init(root: URL, store: EventStore) {
        self.root = root
        self.store = store
    }

    /// Delivers what is due; runs on `queue`.
    func drain(now: Date = Date()) {
        guard let due = try? store.dueDeliveries(at: now), !due.isEmpty else { return }
        let settings = (try? Workspace.load(at: root))?.config.alerts ?? AlertSettings()
        for delivery in due {
            if let wait = backoff[delivery.sink], wait.notBefore > Date() { continue }
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

    /// One attempt; nil when delivered, else what went wrong.
    private func deliver(_ delivery: EventStore.AlertDelivery, settings: AlertSettings) -> String? {
        switch delivery.sink {
        case "webhook":
            guard let address = settings.webhook, let url = URL(string: address) else { return "no webhook configured" }
            return post(delivery.payload, to: url, timeout: settings.timeout)
        case "command":
            guard let command = settings.command else { return "no command configured" }
            return run(command, input: delivery.payload, timeout: settings.timeout)
        default:
            return "unknown sink \(delivery.sink)"
        }
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
