/// Where a run is: running, or how it ended. Its JSON spelling is the raw value.
public enum RunState: String, Codable, Sendable {
    case running
    case succeeded
    case failed
    case cancelled
    case interrupted

    public var isFinal: Bool { self != .running }
}
