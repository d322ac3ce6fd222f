import Foundation

/// One event's place in the log: its id and when it was recorded. A past moment of the fleet
/// is named by the last event folded into it.
public struct EventMark: Equatable, Hashable, Sendable {
    public var id: Int64
    public var time: Date

    public init(id: Int64, time: Date) {
        self.id = id
        self.time = time
    }
}
