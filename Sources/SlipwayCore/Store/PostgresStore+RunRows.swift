import Foundation
import GRDB
import PostgresNIO

/// Runs, deploy locks and requests as rows of the shared store: the columns each is read with and
/// the record made of them (on the embedded store GRDB decodes these records itself).
extension PostgresStore {
    static let runColumns = """
        id, kind, component, environment, version, state, actor, origin, host, pid, pid_start_time, started_at, \
        heartbeat_at, finished_at, cancel_requested, reason
        """
    static let lockColumns = "component, environment, run_id, actor, acquired_at"
    static let requestColumns = """
        id, request, actor, origin, requested_at, state, executor_pid, executor_start, no_wait, checkpoint, error, \
        error_is_usage, approvals_needed, approved_by, expires_at, approved_at, executor_host, requester_host
        """

    static func runRecords(from rows: PostgresRowSequence) async throws -> [RunRecord] {
        var runs: [RunRecord] = []
        let decoded = rows.decode(
            (String, String, String?, String?, String?, String, String, String, String, Int64, String, Date, Date, Date?, Bool, String?).self)
        for try await (id, kind, component, environment, version, state, actor, origin, host, pid, pidStartTime, startedAt, heartbeatAt,
                       finishedAt, cancelRequested, reason) in decoded
        {
            runs.append(RunRecord(
                id: id, kind: try known(RunKind.self, kind, column: "run kind"), component: component, environment: environment,
                version: version, state: try known(RunState.self, state, column: "run state"), actor: actor, origin: origin, host: host,
                pid: Int32(clamping: pid), pidStartTime: pidStartTime, startedAt: startedAt, heartbeatAt: heartbeatAt,
                finishedAt: finishedAt, cancelRequested: cancelRequested, reason: reason))
        }
        return runs
    }

    static func deployLocks(from rows: PostgresRowSequence) async throws -> [DeployLock] {
        var locks: [DeployLock] = []
        for try await (component, environment, runID, actor, acquiredAt) in rows.decode((String, String, String, String, Date).self) {
            locks.append(DeployLock(component: component, environment: environment, runID: runID, actor: actor, acquiredAt: acquiredAt))
        }
        return locks
    }

    static func requestRecords(from rows: PostgresRowSequence) async throws -> [RequestRecord] {
        var requests: [RequestRecord] = []
        let decoded = rows.decode(
            (String, String, String, String, Date, String, Int64?, String?, Bool, String?, String?, Bool, Int32, String, Date?, Date?, String?, String?).self)
        for try await (id, request, actor, origin, requestedAt, state, executorPID, executorStart, noWait, checkpoint, error,
                       errorIsUsage, approvalsNeeded, approvedBy, expiresAt, approvedAt, executorHost, requesterHost) in decoded
        {
            requests.append(RequestRecord(
                id: id, request: try requestColumn(RunRequest.self, from: request), actor: actor, origin: origin,
                requestedAt: requestedAt, state: try known(RequestRecord.State.self, state, column: "request state"),
                executorPID: executorPID.map { Int32(clamping: $0) }, executorStart: executorStart, noWait: noWait,
                checkpoint: try checkpoint.map { text in try requestColumn(RunCheckpoint.self, from: text) }, error: error,
                errorIsUsage: errorIsUsage, approvalsNeeded: Int(approvalsNeeded),
                approvedBy: try requestColumn([String].self, from: approvedBy), expiresAt: expiresAt, approvedAt: approvedAt, executorHost: executorHost,
                requesterHost: requesterHost))
        }
        return requests
    }

    /// A JSON column of a request (what was asked, its checkpoint, its approvers) as the embedded
    /// store writes it, so both stores hold the same text.
    static func requestColumnText(_ value: some Encodable) throws -> String {
        String(decoding: try RequestRecord.databaseJSONEncoder(for: "request").encode(value), as: UTF8.self)
    }

    private static func requestColumn<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try RequestRecord.databaseJSONDecoder(for: "request").decode(type, from: Data(text.utf8))
    }

    private static func known<Value: RawRepresentable<String>>(_ type: Value.Type, _ raw: String, column: String) throws -> Value {
        guard let value = Value(rawValue: raw) else {
            throw SlipwayError.failure("the store holds a \(column) '\(raw)' this slipway does not know: upgrade slipway")
        }
        return value
    }
}
