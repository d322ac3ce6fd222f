/// A component folder that could not be loaded: a bad name, a duplicate, or a configuration
/// error. The workspace sets it aside so one bad folder never stops commands about the others
/// (the emergency switch of another component included); a command that names it gets its error.
public struct ComponentProblem: Sendable, Equatable {
    /// `services/name` as found on disk (it may not be a valid name).
    public var path: String
    /// The folder's own name.
    public var name: String
    public var error: SlipwayError

    public init(path: String, name: String, error: SlipwayError) {
        self.path = path
        self.name = name
        self.error = error
    }

    /// Whether `reference` (as a command names a component: `web` or `services/web`) means this folder.
    public func isNamed(by reference: String) -> Bool {
        reference == name || reference == path
    }

    /// The one line every command prints about it.
    public var warning: String {
        "\(error.message) (\(path) is skipped; the rest of the workspace works)"
    }
}
