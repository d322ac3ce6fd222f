/// An error a user can act on: one line of text and the exit code it maps to.
///
/// Exit codes follow the command line's contract: 2 for usage and configuration
/// errors (nothing was attempted), 1 for an operation that was attempted and failed.
public struct SlipwayError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Category: Sendable, Equatable {
        /// Bad arguments, unknown names, invalid configuration: exit 2.
        case usage
        /// A test, deploy, health check or store operation that failed: exit 1.
        case failure
    }

    public var category: Category
    public var message: String

    public init(_ category: Category, _ message: String) {
        self.category = category
        self.message = message
    }

    public static func usage(_ message: String) -> SlipwayError { SlipwayError(.usage, message) }
    public static func failure(_ message: String) -> SlipwayError { SlipwayError(.failure, message) }

    public var exitCode: Int32 { category == .usage ? 2 : 1 }
    public var description: String { message }
}
