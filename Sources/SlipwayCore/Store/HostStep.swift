import Foundation
import GRDB

/// One host's part of a deploy to a component placed on several hosts: the run that coordinates
/// records it, the agent of `host` claims it, does it with its own router and slots, and says
/// how it ended. The run waits on these rows, so a host's agent and the run need no connection
/// but the store they share.
public struct HostStep: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "host_steps"

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        StoredMoment.encodingStrategy
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        StoredMoment.decodingStrategy
    }

    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Build the release from the host's checkout, start it in the idle colour, health-gate it.
        case prepare
        /// Health-gate the colour again and give it the host's traffic.
        case `switch`
        /// Stop the colour a prepare started: the deploy will not switch this host.
        case abort
        /// Check what users reach through the host's router.
        case check
        /// Give the host's traffic back to the colour it had (still warm): the deploy switched it,
        /// but too few other hosts switched for the deploy to stand.
        case revert
    }

    public enum State: String, Codable, Sendable {
        case pending, working, done, failed

        public var isFinal: Bool { self == .done || self == .failed }
    }

    public var runID: String
    public var host: String
    public var kind: Kind
    public var state: State
    public var component: String
    public var environment: String
    public var version: String
    /// The colour asked for; a prepare on a host whose live colour it is takes the other one
    /// and says so here when done.
    public var color: SlotColor
    /// How it ended, in one line (or what it is doing).
    public var detail: String?
    public var requestedAt: Date
    /// When the host's agent last said it was still at it; a working step left untouched
    /// longer than `HostStep.staleAfter` belongs to a host that went down.
    public var updatedAt: Date

    public init(
        runID: String, host: String, kind: Kind, component: String, environment: String, version: String, color: SlotColor,
        requestedAt: Date
    ) {
        self.runID = runID
        self.host = host
        self.kind = kind
        state = .pending
        self.component = component
        self.environment = environment
        self.version = version
        self.color = color
        detail = nil
        self.requestedAt = requestedAt
        updatedAt = requestedAt
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", host, kind, state, component, environment, version, color, detail
        case requestedAt = "requested_at", updatedAt = "updated_at"
    }

    /// How long a host's agent may leave a pending step unclaimed before the run calls the host down.
    public static let claimWithin: TimeInterval = 10
    /// How long a working step may go without its agent touching it before the run calls the host down.
    public static let staleAfter: TimeInterval = 15

    /// Why an agent refuses a pending step of a run that already ended (its coordinator stopped,
    /// or gave up on this host while it was down): done now, it would move traffic for a run nobody
    /// follows. `%s` is the run's state; PostgreSQL's `format` fills it in there.
    static let runEndedFormat = "not taken: its run ended (%s) before this host's agent took the step"

    static func runEndedDetail(_ state: RunState) -> String {
        runEndedFormat.replacingOccurrences(of: "%s", with: state.rawValue)
    }

    /// Why a step a host's agent took and then stopped touching ends when its run is reaped:
    /// nothing else would ever end it.
    static let abandonedDetail = "abandoned: its run ended (interrupted) while this host's agent was silent"

    /// How this step ends when its run is reaped as interrupted at `now`, or nil when it is left
    /// as it is: a step a live agent still works on ends by that agent.
    func endedByReaping(at now: Date) -> HostStep? {
        switch state {
        case .pending: finished(.failed, detail: Self.runEndedDetail(.interrupted), at: now)
        case .working where now.timeIntervalSince(updatedAt) > Self.staleAfter: finished(.failed, detail: Self.abandonedDetail, at: now)
        case .working, .done, .failed: nil
        }
    }

    /// Whether the host looks down as of `now`: its agent never claimed the step, or stopped touching it.
    public func hostLooksDown(at now: Date) -> Bool {
        switch state {
        case .pending: now.timeIntervalSince(requestedAt) > Self.claimWithin
        case .working: now.timeIntervalSince(updatedAt) > Self.staleAfter
        case .done, .failed: false
        }
    }

    /// This step ended as `state`, with `detail`, in `color` (a prepare may have taken the other colour).
    public func finished(_ state: State, detail: String?, color: SlotColor? = nil, at time: Date = Date()) -> HostStep {
        var step = self
        step.state = state
        step.detail = detail
        step.color = color ?? self.color
        step.updatedAt = time
        return step
    }
}

extension HostStep {
    /// The table on both stores, `time` being each one's type for a moment.
    static func tableDefinition(schema: String = "", time: String) -> String {
        """
        CREATE TABLE \(schema)host_steps (
            run_id TEXT NOT NULL,
            host TEXT NOT NULL,
            kind TEXT NOT NULL,
            state TEXT NOT NULL,
            component TEXT NOT NULL,
            environment TEXT NOT NULL,
            version TEXT NOT NULL,
            color TEXT NOT NULL,
            detail TEXT,
            requested_at \(time) NOT NULL,
            updated_at \(time) NOT NULL,
            PRIMARY KEY (run_id, host, kind)
        )
        """
    }

    /// The audit trail's record that a host was asked for this step; its append is also what
    /// wakes the hosts' agents, which wait on the store's changes.
    var requestedEvent: NewEvent {
        NewEvent(.hostStepRequested, component: component, environment: environment, runID: runID, details: EventDetails(
            version: version, color: color.rawValue, stage: kind.rawValue, origin: host))
    }

    /// The audit trail's record of how this step ended.
    var finishedEvent: NewEvent {
        NewEvent(.hostStepFinished, component: component, environment: environment, runID: runID, details: EventDetails(
            version: version, color: color.rawValue, stage: kind.rawValue, outcome: state.rawValue, reason: detail, origin: host))
    }
}
