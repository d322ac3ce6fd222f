import Foundation
import GRDB

/// The fleet's hosts, as their agents last said.
extension SQLiteStore {
    public func recordHeartbeat(of host: HostRecord) throws(SlipwayError) {
        do {
            try pool.write { db in try host.save(db) }
        } catch {
            throw failure(error)
        }
    }

    public func hosts() throws(SlipwayError) -> [HostRecord] {
        do {
            return try pool.read { db in try HostRecord.fetchAll(db, orderedBy: "host") }
        } catch {
            throw failure(error)
        }
    }
}
