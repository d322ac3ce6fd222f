/// A component's `database:` block: where its migrations are.
public struct ComponentDatabaseSettings: Sendable, Equatable {
    /// The migrations folder, relative to the component's folder.
    public var migrations: String

    static func parse(_ node: ConfigNode) throws(SlipwayError) -> ComponentDatabaseSettings {
        let entries = try node.mapping(allowing: ["migrations"], context: "database")
        guard let folder = entries["migrations"] else {
            throw node.location.error("database needs migrations: the folder of the component's migration files (e.g. migrations/)")
        }
        var path = try folder.string("migrations")
        while path.hasSuffix("/") && path.count > 1 { path.removeLast() }
        guard !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
            throw folder.location.error("migrations must be a folder inside the component, found '\(path)'")
        }
        return ComponentDatabaseSettings(migrations: path)
    }
}
