import Foundation

/// A command one stage runs: never through a shell, so names and versions reach it as
/// single arguments whatever characters they hold.
public struct StageCommand: Sendable, Equatable {
    public var executable: String
    public var arguments: [String]
    public var directory: URL
    /// Variables added to (or, when nil, removed from) the environment it starts from.
    public var environment: [String: String?]
    /// The environment it starts from: the requester's, for a run the agent executes; nil for
    /// this process's own.
    public var baseEnvironment: [String: String]?

    public init(executable: String, arguments: [String], directory: URL, environment: [String: String?] = [:]) {
        self.executable = executable
        self.arguments = arguments
        self.directory = directory
        self.environment = environment
    }

    /// How the command reads in a log: quoted where a word needs it.
    public var displayText: String {
        ([executable] + arguments).map { word in
            word.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:@+,".contains($0) }) && !word.isEmpty
                ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }
}
