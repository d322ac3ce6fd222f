import Foundation
import SlipwayCore
import Synchronization

/// Reads each deployed cloud component's live traffic from its platform (CloudWatch, the
/// Workers analytics) once per completed minute, so the console, `slo` and the alerts see
/// cloud components as the router's counters show local ones. Windows are whole minutes (the
/// platforms' own resolution) and follow one another, so no minute is counted twice; the first
/// one looks back a few minutes for the screen and counts nothing, since an agent before this one
/// may have counted those minutes. Runs in a task of its own, one pass at a time.
final class PlatformMetricsWatch: @unchecked Sendable {
    let root: URL
    let statePath: URL
    /// Minutes the first window looks back.
    static let lookbackMinutes = 5
    /// Where the last window ended (a minute's start); nil before the first.
    private var readThrough: Date?
    private let watching = Atomic<Bool>(false)

    init(root: URL, statePath: URL) {
        self.root = root
        self.statePath = statePath
    }

    /// Whether the last pass found a component to read: the agent stays up for it.
    var hasSubjects: Bool { watching.load(ordering: .relaxed) }

    /// A pass every `pause` seconds of `clock` while `running` says so.
    func watch(clock: any EngineClock, pause: Double, while running: @escaping @Sendable () -> Bool) async {
        while running() {
            await readDue(now: clock.now())
            do {
                try await clock.sleep(seconds: pause)
            } catch {
                return
            }
        }
    }

    /// One pass: reads the minutes completed since the last window, if any.
    func readDue(now: Date) async {
        let end = Date(timeIntervalSince1970: Double(EventStore.minute(of: now)) * 60)
        let start = readThrough ?? end.addingTimeInterval(-Double(Self.lookbackMinutes) * 60)
        // Opening the engine on a store file that was removed would make a new, empty one.
        guard start < end, FileManager.default.fileExists(atPath: statePath.path),
              let engine = try? await Engine.open(
                workspace: root, state: statePath, origin: "agent", output: { _ in })
        else { return }
        let readings = await engine.recordPlatformMetrics(from: start, to: end, countingSLIs: readThrough != nil, now: now)
        for reading in readings {
            if let problem = reading.problem {
                AgentLog.logger.warning("no figures for \(reading.component) in \(reading.environment) from \(reading.source): \(problem)")
            }
        }
        watching.store(!readings.isEmpty, ordering: .relaxed)
        readThrough = end
    }
}
