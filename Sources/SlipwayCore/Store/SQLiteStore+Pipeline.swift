import Foundation
import GRDB

extension SQLiteStore {
    /// The head commit of the newest pipeline run into `environment` that succeeded: the base
    /// of the next run's change detection (a failed run leaves its changes counted as changed).
    public func lastSuccessfulPipelineCommit(environment: String) throws(SlipwayError) -> (runID: String, commit: String)? {
        do {
            return try pool.read { db in
                let row = try Row.fetchOne(db, sql: """
                    SELECT runs.id AS id, json_extract(events.payload, '$.commit') AS head_commit
                    FROM runs JOIN events ON events.run_id = runs.id AND events.kind = 'run.started'
                    WHERE runs.kind = 'pipeline' AND runs.environment = ? AND runs.state = 'succeeded'
                    ORDER BY runs.started_at DESC, runs.id DESC LIMIT 1
                    """, arguments: [environment])
                guard let row, let id: String = row["id"], let commit: String = row["head_commit"] else { return nil }
                return (id, commit)
            }
        } catch {
            throw failure(error)
        }
    }

    /// Whether the newest pipeline quality-gates job for `version` of `component` passed; nil
    /// when no pipeline tested that version.
    public func gatesPassed(component: String, version: String) throws(SlipwayError) -> Bool? {
        do {
            return try pool.read { db in
                try String.fetchOne(db, sql: """
                    SELECT json_extract(payload, '$.outcome') FROM events
                    WHERE kind = 'job.finished' AND component = ? AND json_extract(payload, '$.stage') = 'quality-gates'
                        AND json_extract(payload, '$.version') = ?
                    ORDER BY id DESC LIMIT 1
                    """, arguments: [component, version]).map { $0 == "succeeded" }
            }
        } catch {
            throw failure(error)
        }
    }

    /// The checks of the newest pipeline run that gated `version` of `component` (empty when it
    /// recorded none); nil when no pipeline run gated it.
    public func gateChecks(component: String, version: String) throws(SlipwayError) -> [GateCheckRecord]? {
        do {
            return try pool.read { db in
                try String.fetchOne(db, sql: """
                    SELECT payload FROM events
                    WHERE kind = 'job.finished' AND component = ? AND json_extract(payload, '$.stage') = 'quality-gates'
                        AND json_extract(payload, '$.version') = ?
                    ORDER BY id DESC LIMIT 1
                    """, arguments: [component, version])
                    .map { payload in (try? JSONDecoder().decode(EventDetails.self, from: Data(payload.utf8)))?.checks ?? [] }
            }
        } catch {
            throw failure(error)
        }
    }
}
