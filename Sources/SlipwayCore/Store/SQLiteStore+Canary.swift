import Foundation
import GRDB

/// Canaries in progress and the commands people send them.
extension SQLiteStore {
    public func canaries() throws(SlipwayError) -> [CanaryRecord] {
        do {
            return try pool.read { db in try CanaryRecord.fetchAll(db, orderedBy: "component, environment") }
        } catch {
            throw failure(error)
        }
    }

    public func canary(component: String, environment: String) throws(SlipwayError) -> CanaryRecord? {
        do {
            return try pool.read { db in
                try CanaryRecord.fetchOne(db, key: ["component": component, "environment": environment])
            }
        } catch {
            throw failure(error)
        }
    }

    public func save(_ canary: CanaryRecord, event: NewEvent?) throws(SlipwayError) {
        do {
            try pool.write { db in
                try canary.save(db)
                if let event { _ = try self.append([event], in: db) }
            }
        } catch {
            throw failure(error)
        }
    }

    /// Queues `command` for the canary of `component` in `environment`; refused when none is in progress.
    public func request(_ command: CanaryCommand.Kind, component: String, environment: String) throws(SlipwayError) {
        do {
            try pool.write { db in
                guard let record = try CanaryRecord.fetchOne(db, key: ["component": component, "environment": environment]),
                      let progress = record.decodedProgress, !progress.isFinished,
                      try RunRecord.fetchOne(db, key: record.runID)?.state == .running
                else {
                    throw SlipwayError(.noCanaryInProgress(component: component, environment: environment))
                }
                let row = CanaryCommand(
                    component: component, environment: environment, command: command, actor: self.actor, requestedAt: Date())
                try row.insert(db)
            }
        } catch {
            throw failure(error)
        }
    }

    /// Takes (and removes) the commands queued for a canary, oldest first.
    public func takeCanaryCommands(component: String, environment: String) throws(SlipwayError) -> [CanaryCommand] {
        do {
            return try pool.write { db in
                let request = CanaryCommand.filter(Column("component") == component && Column("environment") == environment)
                let commands = try request.order(Column("id")).fetchAll(db)
                try request.deleteAll(db)
                return commands
            }
        } catch {
            throw failure(error)
        }
    }
}
