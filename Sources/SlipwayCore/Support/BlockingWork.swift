import Dispatch

/// Runs work that blocks a thread (a socket call to the agent, a probe) on a thread of its own,
/// so async code never holds one of the few cooperative threads while it waits.
public enum BlockingWork {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws(SlipwayError) -> T) async throws(SlipwayError) -> T {
        let result: Result<T, SlipwayError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(SlipwayError) -> T in try work() })
            }
        }
        return try result.get()
    }
}
