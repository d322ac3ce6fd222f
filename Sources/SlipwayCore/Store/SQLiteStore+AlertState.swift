import Foundation
import GRDB

/// The agent's alert evaluation state, kept with the alerts it raises.
extension SQLiteStore {
    public func alertStates() throws(SlipwayError) -> [AlertStateRecord] {
        do {
            return try pool.read { db in try AlertStateRecord.fetchAll(db) }
        } catch {
            throw failure(error)
        }
    }

    /// Saves the states of one evaluation and raises its alerts in one transaction: an agent
    /// killed halfway neither loses an alert nor raises one twice after its restart.
    public func save(_ states: [AlertStateRecord], raising alerts: [Alert], routing: AlertSettings) throws(SlipwayError) {
        do {
            try pool.write { db in
                for alert in alerts { try self.raise(alert, routing: routing, in: db) }
                for state in states { try state.save(db) }
            }
        } catch {
            throw failure(error)
        }
    }
}
