import Foundation

/// Where the engine reads the time and waits: the system's, or a virtual one in tests, so
/// watches and canaries that last minutes run in milliseconds of test time.
public protocol EngineClock: Sendable {
    func now() -> Date
    /// Waits `seconds` without blocking a thread; throws when the task is cancelled.
    func sleep(seconds: Double) async throws
}

/// The system's clock: `Date()` and `Task.sleep`.
public struct SystemClock: EngineClock {
    public init() {}

    public func now() -> Date { Date() }

    public func sleep(seconds: Double) async throws {
        try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded())))
    }
}
