import Synchronization

/// Set once when a run is asked to stop (by `slipway cancel`, Ctrl-C or SIGTERM);
/// read by the run's stages, which then stop their child processes.
public final class CancellationFlag: Sendable {
    private let state = Mutex(false)

    public init() {}

    public var isSet: Bool { state.withLock { $0 } }

    public func set() { state.withLock { $0 = true } }
}
