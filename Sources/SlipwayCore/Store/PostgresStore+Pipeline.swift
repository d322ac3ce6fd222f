import Foundation
import PostgresNIO

/// The pipeline's reads of the shared store, as on the embedded one (`SQLiteStore+Pipeline`):
/// payloads are JSON text there and here, read with `->>` where SQLite uses `json_extract`.
extension PostgresStore {
    /// The head commit of the newest pipeline run into `environment` that succeeded: the base
    /// of the next run's change detection (a failed run leaves its changes counted as changed).
    public func lastSuccessfulPipelineCommit(environment: String) throws(SlipwayError) -> (runID: String, commit: String)? {
        let found = try reading("cannot read the store's pipeline runs") { connection, logger in
            try await connection.query("""
                SELECT runs.id, events.payload::json ->> 'commit'
                FROM slipway.runs JOIN slipway.events ON events.run_id = runs.id AND events.kind = 'run.started'
                WHERE runs.kind = 'pipeline' AND runs.environment = \(environment) AND runs.state = 'succeeded'
                ORDER BY runs.started_at DESC, runs.id DESC LIMIT 1
                """, logger: logger).decode((String, String?).self).first { _ in true }
        }
        guard let (id, commit) = found, let commit else { return nil }
        return (id, commit)
    }

    /// Whether the newest pipeline quality-gates job for `version` of `component` passed; nil
    /// when no pipeline tested that version.
    public func gatesPassed(component: String, version: String) throws(SlipwayError) -> Bool? {
        try newestGatesJob(component: component, version: version).flatMap { details in details?.outcome.map { $0 == "succeeded" } }
    }

    /// The checks of the newest pipeline run that gated `version` of `component` (empty when it
    /// recorded none); nil when no pipeline run gated it.
    public func gateChecks(component: String, version: String) throws(SlipwayError) -> [GateCheckRecord]? {
        try newestGatesJob(component: component, version: version).map { details in details?.checks ?? [] }
    }

    /// The details of the newest quality-gates `job.finished` for the version (nil inside when its
    /// payload does not decode); nil when there is none.
    private func newestGatesJob(component: String, version: String) throws(SlipwayError) -> EventDetails?? {
        let payload = try reading("cannot read the store's pipeline jobs") { connection, logger in
            try await connection.query("""
                SELECT payload FROM slipway.events
                WHERE kind = 'job.finished' AND component = \(component) AND payload::json ->> 'stage' = 'quality-gates'
                    AND payload::json ->> 'version' = \(version)
                ORDER BY id DESC LIMIT 1
                """, logger: logger).decode(String.self).first { _ in true }
        }
        return payload.map { payload in try? JSONDecoder().decode(EventDetails.self, from: Data(payload.utf8)) }
    }

    // MARK: A run's stages

    /// The stages of a run that finished and succeeded.
    public func succeededStages(runID: String) throws(SlipwayError) -> Set<String> {
        let details = try stageDetails(runID: runID, kind: .stageFinished)
        return Set(details.compactMap { $0.details.outcome == "succeeded" ? $0.details.stage : nil })
    }

    /// When `stage` of the run last started, if it did.
    public func startOfStage(_ stage: String, runID: String) throws(SlipwayError) -> Date? {
        try stageDetails(runID: runID, kind: .stageStarted).last { $0.details.stage == stage }?.time
    }

    /// The run's events of `kind` whose payloads decode, oldest first.
    private func stageDetails(runID: String, kind: EventKind) throws(SlipwayError) -> [(time: Date, details: EventDetails)] {
        try reading("cannot read run \(runID)'s stages") { connection, logger in
            var found: [(time: Date, details: EventDetails)] = []
            let rows = try await connection.query(
                "SELECT time, payload FROM slipway.events WHERE run_id = \(runID) AND kind = \(kind.rawValue) ORDER BY id",
                logger: logger
            ).decode((Int64, String).self)
            for try await (time, payload) in rows {
                guard let details = try? JSONDecoder().decode(EventDetails.self, from: Data(payload.utf8)) else { continue }
                found.append((Date(milliseconds: time), details))
            }
            return found
        }
    }
}
