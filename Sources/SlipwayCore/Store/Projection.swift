import Foundation

/// The fleet as folded from events: one `DeploymentState` per component and environment.
///
/// `apply` is a pure fold step. The store runs it incrementally on every append and from
/// scratch on `slipway store rebuild`; both must give the same states.
public struct Projection: Sendable, Equatable {
    public struct Key: Hashable, Sendable, Comparable {
        public var component: String
        public var environment: String

        public init(component: String, environment: String) {
            self.component = component
            self.environment = environment
        }

        public static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.component, lhs.environment) < (rhs.component, rhs.environment)
        }
    }

    public var states: [Key: DeploymentState] = [:]

    public init(states: [Key: DeploymentState] = [:]) {
        self.states = states
    }

    /// The kinds whose payload `apply` reads; of every other kind only the id counts, so a fold
    /// from scratch may leave their payloads unread.
    public static let kindsReadingDetails: Set<EventKind> = [
        .runStarted, .runFinished, .deploySucceeded, .healthChecked, .trafficSwitched, .releaseReady, .slotStarted, .slotStopped,
    ]

    /// Folds one event in. Events without a component and environment do not change the fleet.
    public mutating func apply(
        id: Int64, time: Date, kind: EventKind, component: String?, environment: String?, runID: String?,
        details: EventDetails
    ) {
        guard let component, let environment else { return }
        let key = Key(component: component, environment: environment)
        var state = states[key] ?? DeploymentState(component: component, environment: environment)
        state.lastEventID = id
        switch kind {
        case .runStarted:
            if let runID, let runKind = details.runKind {
                state.runsInProgress.append(
                    .init(runID: runID, kind: runKind, version: details.version, since: time))
            }
        case .runFinished:
            state.runsInProgress.removeAll { $0.runID == runID }
            if let runID, let runKind = details.runKind, runKind == .deploy || runKind == .rollback {
                state.lastDeploy = .init(
                    runID: runID, kind: runKind, version: details.version, outcome: details.outcome ?? "unknown",
                    time: time)
            }
        case .deploySucceeded:
            if let version = details.version {
                if let live = state.liveVersion, live != version {
                    state.previousVersions.removeAll { $0 == live }
                    state.previousVersions.insert(live, at: 0)
                }
                state.previousVersions.removeAll { $0 == version }
                if state.previousVersions.count > DeploymentState.historyLimit {
                    state.previousVersions.removeLast(state.previousVersions.count - DeploymentState.historyLimit)
                }
                state.liveVersion = version
                state.liveCommit = details.commit
                state.liveColor = details.color
            }
            state.ready = nil
        case .healthChecked:
            state.lastHealth = .init(healthy: details.healthy ?? false, time: time, detail: details.reason)
        case .trafficSwitched:
            // A switch moves what is live at once, also back to a warm slot.
            state.liveColor = details.color ?? state.liveColor
            if state.ready?.color == state.liveColor { state.ready = nil }
            if let version = details.version, version != state.liveVersion {
                if let live = state.liveVersion {
                    state.previousVersions.removeAll { $0 == live }
                    state.previousVersions.insert(live, at: 0)
                }
                state.previousVersions.removeAll { $0 == version }
                state.liveVersion = version
            }
        case .releaseReady:
            if let version = details.version, let color = details.color {
                state.ready = .init(version: version, commit: details.commit, color: color, since: time)
            }
        case .slotStopped, .slotStarted:
            // The ready release is gone once its slot stops or another release takes the slot.
            if let ready = state.ready, ready.color == details.color, kind == .slotStopped || details.version != ready.version {
                state.ready = nil
            }
        case .runRequested, .runResumed, .stageStarted, .stageFinished, .cancelRequested, .releaseTagged, .deployRefused, .slotCrashed,
             .jobStarted, .jobFinished, .canaryChanged, .alertRaised, .migrationApplied, .backupCreated, .storeRestored, .checkOverridden,
             .accessRefused, .alertSilenced, .databaseRestored, .backupDrilled, .requestApproved, .requestDenied, .requestExpired,
             .requestRejected, .projectionStarted, .projectionCheckpoint, .projectionBuilt, .projectionCompared, .projectionSwitched,
             .projectionFailed, .hostStepRequested, .hostStepFinished:
            break
        }
        states[key] = state
    }

    public mutating func apply(_ event: Event) {
        guard let kind = event.knownKind, let details = event.details else { return }
        apply(
            id: event.id, time: event.time, kind: kind, component: event.component, environment: event.environment,
            runID: event.runID, details: details)
    }

    /// States in a stable order: by component, then environment.
    public var sortedStates: [DeploymentState] {
        states.sorted { $0.key < $1.key }.map(\.value)
    }
}
