import Foundation
import SlipwayCore
import Synchronization

/// Reads each deployed cloud component's live traffic from its platform (CloudWatch, the
/// Workers analytics) once per completed minute, so the console, `slo` and the alerts see
/// cloud components as the router's counters show local ones. Windows are whole minutes (the
/// platforms' own resolution) and follow one another per component, so no minute is counted
/// twice, and a window that could not be read or counted is read again by the next pass, so
/// none is lost. A component's first window looks back a few minutes for the screen and counts
/// nothing, since an agent before this one may have counted those minutes.
actor PlatformMetricsWatch {
    let root: URL
    let statePath: URL
    /// The variables the platforms' credentials and addresses come from: the agent's own.
    let environment: [String: String]
    /// Minutes the first window looks back.
    static let lookbackMinutes = 5
    /// The most minutes one window reads: after a long outage, passes catch up this many at a time.
    let windowLimitMinutes: Int
    /// How long one opened engine serves passes: a changed configuration is read within this.
    static let engineLifetime: TimeInterval = 60
    /// Where each component's counted minutes end (a minute's start), once a window of it was read.
    private var readThrough: [Projection.Key: Date] = [:]
    /// The end of the last pass's windows; nil before the first.
    private var passedThrough: Date?
    /// Whether a window of the last pass was not read, not counted or cut at the window limit:
    /// the next pass goes on from where it ended.
    private var behind = false
    private var engine: (opened: Date, value: Engine)?
    private let watching = Atomic<Bool>(false)

    init(
        root: URL, statePath: URL, environment: [String: String] = ProcessInfo.processInfo.environment,
        windowLimitMinutes: Int = 240
    ) {
        self.windowLimitMinutes = windowLimitMinutes
        self.root = root
        self.statePath = statePath
        self.environment = environment
    }

    /// Whether the last pass found a component to read: the agent stays up for it.
    nonisolated var hasSubjects: Bool { watching.load(ordering: .relaxed) }

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

    /// One pass: reads the minutes each component completed since its last window, if a minute
    /// has ended since the last pass or a window of it is still to be read.
    func readDue(now: Date) async {
        let end = Date(timeIntervalSince1970: Double(SLIMinute.number(of: now)) * 60)
        let newMinute = passedThrough.map { $0 < end } ?? true
        // Opening the engine on a store file that was removed would make a new, empty one.
        guard newMinute || behind, FileManager.default.fileExists(atPath: statePath.path),
              let engine = await currentEngine(now: now) else { return }
        let results = await engine.recordPlatformMetrics(
            to: end, readThrough: readThrough, lookbackMinutes: Self.lookbackMinutes,
            windowLimitMinutes: windowLimitMinutes, now: now)
        behind = false
        for result in results {
            let reading = result.reading
            if let problem = reading.problem {
                AgentLog.logger.warning("no figures for \(reading.component) in \(reading.environment) from \(reading.source): \(problem)")
            }
            for problem in result.storeProblems {
                AgentLog.logger.error("\(problem)")
            }
            if result.windowDone {
                readThrough[Projection.Key(component: reading.component, environment: reading.environment)] = reading.windowEnd
                if reading.windowEnd < end { behind = true }
            } else {
                behind = true
            }
        }
        // A pass that only tries failed windows again reads a few components, not all.
        if newMinute { watching.store(!results.isEmpty, ordering: .relaxed) }
        passedThrough = end
    }

    /// The engine of the last `engineLifetime` seconds, or a new one.
    private func currentEngine(now: Date) async -> Engine? {
        if let engine, now.timeIntervalSince(engine.opened) < Self.engineLifetime {
            return engine.value
        }
        do throws(SlipwayError) {
            let opened = try await Engine.open(
                workspace: root, state: statePath, origin: "agent", environment: environment, output: { _ in })
            engine = (now, opened)
            return opened
        } catch {
            AgentLog.logger.error("cannot read the cloud components' figures: \(error.message)")
            return nil
        }
    }
}
