import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Writes what an agent handed over into this (new) store, in one transaction: its routes,
    /// slots and router, so the next agent supervises them as they run, and events that give the
    /// projection each route's live release and colour (`traffic.switched`, as the router serves
    /// it) and record each running slot, all saying where they came from.
    public func recover(_ records: AgentRecords, reason: String) throws(SlipwayError) -> [Event] {
        try writing("cannot recover the agent's records") { connection, logger in
            for route in records.routes { try await Self.upsert(route, on: connection, logger: logger) }
            for slot in records.slots { try await Self.upsert(slot, on: connection, logger: logger) }
            if let router = records.router { try await Self.upsert(router, on: connection, logger: logger) }
            return try await self.append(records.recoveryEvents(reason: reason), on: connection, logger: logger)
        }
    }
}
