import Foundation

extension PostgresStore {
    public func add(_ increments: [SLIIncrement], now: Date) throws(SlipwayError) {
        throw SlipwayError.failure("add is not on the shared PostgreSQL store yet")
    }

    public func sliMinutes(component: String, environment: String, objective: String, since: Int) throws(SlipwayError) -> [SLIMinute] {
        throw SlipwayError.failure("sliMinutes is not on the shared PostgreSQL store yet")
    }

    public func sliSums(_ requests: [SLIWindows], before end: Int) throws(SlipwayError) -> [[(total: Int, bad: Int)]] {
        throw SlipwayError.failure("sliSums is not on the shared PostgreSQL store yet")
    }

    public func sliSubjects() throws(SlipwayError) -> [(component: String, environment: String)] {
        throw SlipwayError.failure("sliSubjects is not on the shared PostgreSQL store yet")
    }

    public func alertStates() throws(SlipwayError) -> [AlertStateRecord] {
        throw SlipwayError.failure("alertStates is not on the shared PostgreSQL store yet")
    }

    public func save(_ states: [AlertStateRecord], raising alerts: [Alert], routing: AlertSettings) throws(SlipwayError) {
        throw SlipwayError.failure("save is not on the shared PostgreSQL store yet")
    }

    public func raise(_ alert: Alert, routing: AlertSettings) throws(SlipwayError) {
        throw SlipwayError.failure("raise is not on the shared PostgreSQL store yet")
    }

    public func silence(_ silence: AlertSilence) throws(SlipwayError) {
        throw SlipwayError.failure("silence is not on the shared PostgreSQL store yet")
    }

    public func silences(at moment: Date) throws(SlipwayError) -> [AlertSilence] {
        throw SlipwayError.failure("silences is not on the shared PostgreSQL store yet")
    }

    public func claimDeliveries( by owner: String, lease: TimeInterval, excluding sinks: [String], at now: Date, limit: Int ) throws(SlipwayError) -> [AlertDelivery] {
        throw SlipwayError.failure("claimDeliveries is not on the shared PostgreSQL store yet")
    }

    public func recordAttempt(_ id: Int64, error: String?, nextAttempt: Date, at now: Date) throws(SlipwayError) {
        throw SlipwayError.failure("recordAttempt is not on the shared PostgreSQL store yet")
    }

    public func releaseClaim(_ id: Int64) throws(SlipwayError) {
        throw SlipwayError.failure("releaseClaim is not on the shared PostgreSQL store yet")
    }

    public func outboxCounts() throws(SlipwayError) -> (delivered: Int, pending: Int) {
        throw SlipwayError.failure("outboxCounts is not on the shared PostgreSQL store yet")
    }
}
