/// Work that `update` asks the runtime to do, so that `update` itself stays pure.
enum ConsoleEffect: Equatable, Sendable {
    /// Read the store again.
    case reload
    /// Ask the engine: a run is recorded and executed by the agent, so it outlives the console.
    case request(ConsoleRequest)
    /// Load the fleet, runs and events as they were at a past moment, off the terminal thread.
    case loadPast(PastView.Target)
    /// Restore the terminal and return from `Console.run`.
    case quit
    /// Restore the terminal and throw `reason` from `Console.run`.
    case fail(String)
}
