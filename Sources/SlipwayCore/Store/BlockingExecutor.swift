import Dispatch
import NIOCore
import NIOPosix

/// Runs async work to its end for a synchronous caller, on an event loop thread of its own.
///
/// The engine calls its store synchronously, often from tasks on Swift's cooperative pool, which
/// has as many threads as cores (two here). Blocking such a thread while the work it waits for
/// needed the same pool could starve it; work started here prefers this executor's loop for the
/// whole task, so it never needs a thread of the pool the caller may be holding.
final class BlockingExecutor: TaskExecutor {
    // Its own group: a caller on one of NIO's shared loops (a channel handler) must not wait on
    // itself. Only `loop` is ever read after init.
    private let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop

    init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }

    /// `body`'s result, waited for on the calling thread, which must not be this executor's own.
    func run<Result: Sendable>(_ body: @escaping @Sendable () async throws(SlipwayError) -> Result) throws(SlipwayError) -> Result {
        precondition(!loop.inEventLoop, "a store call made from inside another store call would wait on itself")
        let done = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox<Result>()
        Task(executorPreference: self) {
            do throws(SlipwayError) {
                outcome.set(.success(try await body()))
            } catch {
                outcome.set(.failure(error))
            }
            done.signal()
        }
        done.wait()
        return try outcome.take().get()
    }

    deinit {
        group.shutdownGracefully { _ in }
    }
}

/// The outcome of a task, handed from its thread to the waiting one (the semaphore orders the two).
private final class OutcomeBox<Value: Sendable>: @unchecked Sendable {
    private var outcome: Swift.Result<Value, SlipwayError>?

    func set(_ value: Swift.Result<Value, SlipwayError>) { outcome = value }
    func take() -> Swift.Result<Value, SlipwayError> { outcome! }
}
