import Foundation
import GRDB

/// The local target's slots, routes and long-lived processes, written by the agent.
extension SQLiteStore {
    public func slots() throws(SlipwayError) -> [SlotRecord] {
        do {
            return try pool.read { db in try SlotRecord.order(Column("component"), Column("environment"), Column("color")).fetchAll(db) }
        } catch {
            throw failure(error)
        }
    }

    public func save(_ slot: SlotRecord, event: NewEvent?) throws(SlipwayError) {
        do {
            try pool.write { db in
                try slot.save(db)
                if let event { _ = try self.append([event], in: db) }
            }
        } catch {
            throw failure(error)
        }
    }

    public func routes() throws(SlipwayError) -> [RouteRecord] {
        do {
            return try pool.read { db in try RouteRecord.order(Column("component"), Column("environment")).fetchAll(db) }
        } catch {
            throw failure(error)
        }
    }

    public func save(_ route: RouteRecord, event: NewEvent?) throws(SlipwayError) {
        do {
            try pool.write { db in
                try route.save(db)
                if let event { _ = try self.append([event], in: db) }
            }
        } catch {
            throw failure(error)
        }
    }

    public func process(role: String) throws(SlipwayError) -> ProcessRecord? {
        do {
            return try pool.read { db in try ProcessRecord.fetchOne(db, key: role) }
        } catch {
            throw failure(error)
        }
    }

    /// Every long-lived process recorded: the agent, the router and the platform stand-ins.
    public func processes() throws(SlipwayError) -> [ProcessRecord] {
        do {
            return try pool.read { db in try ProcessRecord.order(Column("role")).fetchAll(db) }
        } catch {
            throw failure(error)
        }
    }

    public func save(_ process: ProcessRecord) throws(SlipwayError) {
        do {
            try pool.write { db in try process.save(db) }
        } catch {
            throw failure(error)
        }
    }

    public func deleteProcess(role: String) throws(SlipwayError) {
        do {
            _ = try pool.write { db in try ProcessRecord.deleteOne(db, key: role) }
        } catch {
            throw failure(error)
        }
    }
}
