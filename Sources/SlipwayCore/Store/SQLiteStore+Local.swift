import Foundation
import GRDB

/// The local target's slots, routes and long-lived processes, written by each host's agent and
/// kept per host.
extension SQLiteStore {
    public func slots(on hosts: HostScope) throws(SlipwayError) -> [SlotRecord] {
        do {
            return try pool.read { db in
                try SlotRecord.fetchAll(db, on: hosts, orderedBy: "component, environment, color, host")
            }
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

    public func routes(on hosts: HostScope) throws(SlipwayError) -> [RouteRecord] {
        do {
            return try pool.read { db in
                try RouteRecord.fetchAll(db, on: hosts, hostColumn: "host_name", orderedBy: "component, environment, host_name")
            }
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

    public func process(role: String, on host: String) throws(SlipwayError) -> ProcessRecord? {
        do {
            return try pool.read { db in
                try ProcessRecord.fetchAll(db, where: "host = ? AND role = ?", arguments: [host, role]).first
            }
        } catch {
            throw failure(error)
        }
    }

    /// Every long-lived process recorded: the agents, the routers and the platform stand-ins.
    public func processes(on hosts: HostScope) throws(SlipwayError) -> [ProcessRecord] {
        do {
            return try pool.read { db in try ProcessRecord.fetchAll(db, on: hosts, orderedBy: "role, host") }
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

    public func deleteProcess(role: String, on host: String) throws(SlipwayError) {
        do {
            _ = try pool.write { db in try ProcessRecord.deleteOne(db, key: ["host": host, "role": role]) }
        } catch {
            throw failure(error)
        }
    }
}
