/// Work that `update` asks the runtime to do, so that `update` itself stays pure.
enum ConsoleEffect: Equatable, Sendable {
    /// Read the store again.
    case reload
    /// Start `slipway ARGUMENTS` as a process of its own, which outlives the console.
    case launch([String])
    /// Restore the terminal and return from `Console.run`.
    case quit
    /// Restore the terminal and throw `reason` from `Console.run`.
    case fail(String)
}
