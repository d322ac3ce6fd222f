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
                var events: [NewEvent] = []
                for slot in records.slots where slot.state == .running {
                    events.append(NewEvent(.slotStarted, component: slot.component, environment: slot.environment, details: EventDetails(
                        version: slot.version, color: slot.color, reason: reason)))
                }
                for route in records.routes {
                    guard let live = route.liveColor,
                          let slot = records.slots.first(where: { $0.component == route.component && $0.environment == route.environment && $0.color == live })
                    else { continue }
                    events.append(NewEvent(.trafficSwitched, component: route.component, environment: route.environment, details: EventDetails(
                        version: slot.version, color: live, reason: reason)))
                }
                return try self.append(events, in: db)
            }
        } catch {
            throw failure(error)
        }
    }
}
