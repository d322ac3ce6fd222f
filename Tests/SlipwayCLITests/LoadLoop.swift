import Foundation
import Synchronization

/// A bounded load through a router: GETs one after another on a thread of its own until stopped
/// (at most `seconds` or 20,000 requests), each answer kept with the time it was sent.
final class LoadLoop: @unchecked Sendable {
    struct Answer {
        var sentAt: Date
        var status: Int?
        var color: String?
    }

    private let stopped = Atomic<Bool>(false)
    private let lock = NSLock()
    private var answers: [Answer] = []
    private var thread: Thread?

    func start(port: Int, host: String = "127.0.0.1", seconds: Double = 60) {
        let thread = Thread { [self] in
            let deadline = Date().addingTimeInterval(seconds)
            var count = 0
            while !stopped.load(ordering: .relaxed), Date() < deadline, count < 20_000 {
                let sentAt = Date()
                let response = httpGet(port, "/", timeout: 5, host: host)
                let color = response?.body.split(separator: " ").last.map { String($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
                lock.withLock { answers.append(Answer(sentAt: sentAt, status: response?.status, color: color)) }
                count += 1
            }
        }
        self.thread = thread
        thread.start()
    }

    /// How many requests were answered or failed so far.
    var count: Int { lock.withLock { answers.count } }

    func stop() -> [Answer] {
        stopped.store(true, ordering: .relaxed)
        while thread?.isFinished == false { usleep(10_000) }
        return lock.withLock { answers }
    }
}
