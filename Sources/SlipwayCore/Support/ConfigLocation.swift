/// A place in a configuration file, printed the way compilers do: `file:line:col`.
public struct ConfigLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    /// A configuration error at this place, with the usage exit code. Control characters of
    /// the values quoted in `problem` are escaped when rendered, so the error is one line.
    public func error(_ problem: String) -> SlipwayError {
        SlipwayError(.configuration(self, problem: problem))
    }
}
