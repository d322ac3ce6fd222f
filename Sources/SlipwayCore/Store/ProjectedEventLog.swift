import Foundation

/// An event log that keeps the fleet's projection stored beside its events, brought up to date in
/// the transaction of every append, so reading the fleet folds nothing. Both stores are one.
public protocol ProjectedEventLog: EventLog {
    /// The projection as the appends left it.
    func projection() async throws(SlipwayError) -> Projection

    /// Folds every event again from scratch, with no append coming in between, compares the fold
    /// with the stored projection and replaces the stored one by it, in one transaction.
    /// `progress` is told the event id reached and the last id as it goes.
    func rebuildProjection(
        reporting progress: (@Sendable (_ reached: Int64, _ last: Int64) -> Void)?
    ) async throws(SlipwayError) -> StoredProjectionRebuild
}
