import SlipwayCore

/// A console configuration problem, already phrased as `file:line:col: what is wrong`.
public struct SlipwayConsoleError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    /// Runs `body`, which reads configuration through the engine's `ConfigNode`, turning its
    /// errors (already `file:line:col: ...`) into console errors.
    static func reading<T>(_ body: () throws(SlipwayError) -> T) throws(SlipwayConsoleError) -> T {
        do {
            return try body()
        } catch {
            throw SlipwayConsoleError(error.message)
        }
    }

    public var description: String { message }
}
