import Foundation

/// Alert queries: the alerts raised lately and the silences in force.
extension Engine {
    /// The newest `alert.raised` events, newest first; up to event `through` when given.
    public func raisedAlerts(limit: Int, through id: Int64? = nil) throws(SlipwayError) -> [Event] {
        try latestEvents(kind: .alertRaised, limit: limit, through: id)
    }

    /// The silences in force at `moment`.
    public func silences(at moment: Date = Date()) throws(SlipwayError) -> [AlertSilence] {
        try store.silences(at: moment)
    }
}
