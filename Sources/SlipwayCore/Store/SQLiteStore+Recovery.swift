import Foundation
import GRDB

extension SQLiteStore {
    /// Writes what an agent handed over into this (new) store, in one transaction: its routes,
    /// slots and router, so the next agent supervises them as they run, and events that give the
    /// projection each route's live release and colour (`traffic.switched`, as the router serves
    /// it) and record each running slot, all saying where they came from.
    public func recover(_ records: AgentRecords, reason: String) throws(SlipwayError) -> [Event] {
        do {
            return try pool.write { db in
                for route in records.routes { try route.save(db) }
                for slot in records.slots { try slot.save(db) }
                if let router = records.router { try router.save(db) }
                return try self.append(records.recoveryEvents(reason: reason), in: db)
            }
        } catch {
            throw failure(error)
        }
    }
}
