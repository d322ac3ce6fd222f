/// A component's canary as recorded, and the state of the run driving it (nil when that run is
/// not in the store): only a running one still takes commands.
public struct CanaryReading: Sendable, Equatable {
    public var record: CanaryRecord
    public var runState: RunState?

    public init(record: CanaryRecord, runState: RunState?) {
        self.record = record
        self.runState = runState
    }
}
