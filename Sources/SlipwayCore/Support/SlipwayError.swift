/// An error a user can act on: why it happened, as a case carrying its data, rendered to one
/// line of text at the edge, and the exit code it maps to.
///
/// Exit codes follow the command line's contract: 2 for usage and configuration
/// errors (nothing was attempted), 1 for an operation that was attempted and failed.
///
/// Support/ is SlipwayCore's lowest folder (Support <- Workspace <- Store <- Targets <- Release, Pipeline,
/// Gates, Health, Data, Secrets <- ReadModel <- Engine): it names no type of another folder, so the values
/// its errors carry (`ConfigLocation`, `Role`, `ComponentKind`) live here too. `LayeringTests` checks the
/// direction.
public struct SlipwayError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Category: Sendable, Equatable {
        /// Bad arguments, unknown names, invalid configuration: exit 2.
        case usage
        /// A test, deploy, health check or store operation that failed: exit 1.
        case failure
    }

    public var reason: Reason

    public init(_ reason: Reason) {
        self.reason = reason
    }

    /// A one-off error said as text; the recurring ones have a `Reason` case of their own.
    public init(_ category: Category, _ message: String) {
        self.reason = .message(category, message)
    }

    public static func usage(_ message: String) -> SlipwayError { SlipwayError(.usage, message) }
    public static func failure(_ message: String) -> SlipwayError { SlipwayError(.failure, message) }

    public var category: Category { reason.category }
    public var message: String { reason.line }
    public var exitCode: Int32 { category == .usage ? 2 : 1 }
    public var description: String { message }
}
