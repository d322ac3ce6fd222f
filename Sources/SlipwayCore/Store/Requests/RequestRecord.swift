import Foundation
import GRDB

/// A recorded `RunRequest`: who asked, from where, and how far its execution got.
public struct RequestRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {

    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        StoredMoment.encodingStrategy
    }

    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        StoredMoment.decodingStrategy
    }
    public enum State: String, Codable, Sendable {
        /// Recorded under the two-person rule: no agent may take it until it is approved.
        case awaitingApproval = "awaiting_approval"
        /// Recorded; no agent has taken it yet.
        case pending
        /// An agent executes it (or did, until it died: then another takes it over).
        case claimed
        /// Its run ended, whatever the outcome.
        case done
        /// Refused before its run began (unknown component, already live, ...): see `error`.
        case rejected
        /// Cancelled before its run began.
        case cancelled
        /// Denied by an approver: see `error` for who and why.
        case denied
        /// Not approved within the environment's `approval_timeout`.
        case expired
    }

    public static let databaseTableName = "run_requests"

    /// Also the id of the run that executes it.
    public var id: String
    public var request: RunRequest
    public var actor: String
    public var origin: String
    public var requestedAt: Date
    public var state: State
    public var executorPID: Int32?
    public var executorStart: String?
    /// Refuse rather than wait when another run is changing the component's traffic.
    public var noWait: Bool
    public var checkpoint: RunCheckpoint?
    public var error: String?
    public var errorIsUsage: Bool
    /// Approvals it needs before an agent may take it (the two-person rule); 0 without the rule.
    public var approvalsNeeded = 0
    /// Who approved it, in order.
    public var approvedBy: [String] = []
    /// When it ends as expired unless approved by then.
    public var expiresAt: Date?
    /// When the last approval it needed came: the requester hands it to an agent from then.
    public var approvedAt: Date?
    /// The host of the agent that claimed it; nil when claimed before hosts were recorded.
    public var executorHost: String? = nil
    /// The host it was asked on: on a shared store only that host's agents take it over (a
    /// `local` component's slots are that host's); nil when asked before hosts were recorded.
    public var requesterHost: String? = nil

    enum CodingKeys: String, CodingKey {
        case id, request, actor, origin, requestedAt = "requested_at", state, executorPID = "executor_pid"
        case executorStart = "executor_start", noWait = "no_wait", checkpoint, error, errorIsUsage = "error_is_usage"
        case approvalsNeeded = "approvals_needed", approvedBy = "approved_by", expiresAt = "expires_at", approvedAt = "approved_at"
        case executorHost = "executor_host", requesterHost = "requester_host"
    }

    /// The refusal, as the error it was.
    public var refusal: SlipwayError? {
        error.map { SlipwayError(errorIsUsage ? .usage : .failure, $0) }
    }

    /// Whether it still waits for approvers.
    public var awaitsApproval: Bool { state == .awaitingApproval }

    /// Whether an agent of this host may take it over: one asked on another host is that host's.
    public var isThisHosts: Bool { requesterHost.map { $0 == ProcessIdentity.hostName } ?? true }

    /// Whether the agent that claimed it is gone (then another agent takes it over).
    public var executorIsGone: Bool {
        guard let executorPID else { return true }
        // An agent of another host sharing the store: its process cannot be looked at from here.
        // It counts as alive, so no request is ever executed twice; one of a host that died waits
        // for an agent of that host.
        if let executorHost, executorHost != ProcessIdentity.hostName { return false }
        return !ProcessIdentity(host: ProcessIdentity.hostName, pid: executorPID, startTime: executorStart ?? "")
            .isAlive(lastHeartbeat: .distantPast)
    }
}

/// The two-person rule's steps, the same on both stores.
extension RequestRecord {
    /// Adds `actor` to the approvers; with the last approval it needs, it becomes pending for an
    /// agent to take. An approver approves once.
    mutating func approve(by actor: String, at now: Date) throws(SlipwayError) {
        guard !approvedBy.contains(actor) else {
            throw SlipwayError(.alreadyApproved(actor: actor, requestID: id))
        }
        approvedBy.append(actor)
        if approvedBy.count >= approvalsNeeded {
            state = .pending
            approvedAt = now
        }
    }

    /// The event recording a decision on it (approved, denied, expired).
    static func decisionEvent(_ kind: EventKind, _ record: RequestRecord, outcome: String? = nil, reason: String? = nil) -> NewEvent {
        NewEvent(
            kind, component: record.request.component, environment: record.request.environment, runID: record.id,
            details: EventDetails(runKind: record.request.runKind, stage: record.request.title, outcome: outcome, reason: reason))
    }
}
