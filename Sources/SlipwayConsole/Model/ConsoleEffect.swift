/// Work that `update` asks the runtime to do, so that `update` itself stays pure.
enum ConsoleEffect: Equatable, Sendable {
    /// Read the fleet and the runs from the store again.
    case reload
    /// Restore the terminal and return from `Console.run`.
    case quit
}
