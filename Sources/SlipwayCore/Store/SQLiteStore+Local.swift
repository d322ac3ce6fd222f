import Foundation
import GRDB

/// The local target's slots, routes and long-lived processes, written by each host's agent and
/// kept per host.
extension SQLiteStore {
    public func slots(on hosts: HostScope) throws(SlipwayError) -> [SlotRecord] {
        do {
            return try pool.read { db in
                try SlotRecord.all().on(hosts).order(Column("component"), Column("environment"), Column("color"), Column("host")).fetchAll(db)
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
                try RouteRecord.all().on(hosts, column: "host_name").order(Column("component"), Column("environment"), Column("host_name")).fetchAll(db)
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
            return try pool.read { db in try ProcessRecord.fetchOne(db, key: ["host": host, "role": role]) }
        } catch {
            throw failure(error)
        }
    }

    /// Every long-lived process recorded: the agents, the routers and the platform stand-ins.
    public func processes(on hosts: HostScope) throws(SlipwayError) -> [ProcessRecord] {
        do {
            return try pool.read { db in try ProcessRecord.all().on(hosts).order(Column("role"), Column("host")).fetchAll(db) }
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

extension QueryInterfaceRequest {
    /// The rows of the hosts in `hosts`, their host named in `column`.
    func on(_ hosts: HostScope, column: String = "host") -> Self {
        switch hosts {
        case .everyHost: self
        case .host(let name): filter(Column(column) == name)
        }
    }
}
