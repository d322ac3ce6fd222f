import Foundation
import GRDB

/// Hosts' steps of deploys to several hosts, on the embedded store (where every host is this one).
extension SQLiteStore {
    public func add(_ steps: [HostStep]) throws(SlipwayError) {
        do {
            try pool.write { db in
                for step in steps { try step.save(db) }
                _ = try self.append(steps.map(\.requestedEvent), in: db)
            }
        } catch {
            throw failure(error)
        }
    }

    public func claimHostSteps(of host: String) throws(SlipwayError) -> [HostStep] {
        do {
            // Read first: an agent looks twice a second, and most looks find nothing to write.
            let waiting = try pool.read { db in
                try HostStep.filter(Column("host") == host && Column("state") == HostStep.State.pending.rawValue).fetchCount(db)
            }
            guard waiting > 0 else { return [] }
            return try pool.write { db in
                let pending = try HostStep
                    .filter(Column("host") == host && Column("state") == HostStep.State.pending.rawValue)
                    .order(Column("requested_at"), Column("run_id"), Column("kind"))
                    .fetchAll(db)
                let now = Date()
                var claimed: [HostStep] = []
                var refused: [HostStep] = []
                for step in pending {
                    let runState = try String.fetchOne(db, sql: "SELECT state FROM runs WHERE id = ?", arguments: [step.runID])
                        .flatMap(RunState.init(rawValue:))
                    if let runState, runState.isFinal {
                        refused.append(step.finished(.failed, detail: HostStep.runEndedDetail(runState), at: now))
                    } else {
                        claimed.append(step.finished(.working, detail: nil, at: now))
                    }
                }
                for step in claimed + refused { try step.update(db) }
                if !refused.isEmpty { _ = try self.append(refused.map(\.finishedEvent), in: db) }
                return claimed
            }
        } catch {
            throw failure(error)
        }
    }

    public func touchHostSteps(of host: String) throws(SlipwayError) {
        do {
            try pool.write { db in
                try db.execute(
                    sql: "UPDATE host_steps SET updated_at = ? WHERE host = ? AND state = ?",
                    arguments: [StoredMoment(Date()), host, HostStep.State.working.rawValue])
            }
        } catch {
            throw failure(error)
        }
    }

    public func finish(_ step: HostStep) throws(SlipwayError) {
        do {
            try pool.write { db in
                try step.save(db)
                _ = try self.append([step.finishedEvent], in: db)
            }
        } catch {
            throw failure(error)
        }
    }

    /// Ends the steps of a run being reaped that nobody would end otherwise (see `HostStep.endedByReaping`).
    func endStepsOfReapedRun(_ runID: String, at now: Date, in db: Database) throws -> [HostStep] {
        let ended = try HostStep.filter(Column("run_id") == runID).fetchAll(db).compactMap { $0.endedByReaping(at: now) }
        for step in ended { try step.update(db) }
        return ended
    }

    public func hostSteps(ofRun runID: String) throws(SlipwayError) -> [HostStep] {
        do {
            return try pool.read { db in
                try HostStep.filter(Column("run_id") == runID).order(Column("requested_at"), Column("host"), Column("kind")).fetchAll(db)
            }
        } catch {
            throw failure(error)
        }
    }
}
