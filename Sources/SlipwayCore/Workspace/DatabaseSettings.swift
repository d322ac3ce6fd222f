/// One entry of the workspace's `databases:` block: where a database's connection string comes
/// from. Environments name it in their `database:`; the string itself is a secret.
public struct DatabaseSettings: Sendable, Equatable {
    public var name: String
    /// The environment variable holding the connection string (`url_env: NEON_MAIN_URL`).
    public var urlEnv: String
    public var location: ConfigLocation

    static func parse(name: String, node: ConfigNode) throws(SlipwayError) -> DatabaseSettings {
        let entries = try node.mapping(allowing: ["url_env"], aliases: ["urlEnv": "url_env"], context: "database '\(name)'")
        guard let urlNode = entries["url_env"] else {
            throw node.location.error("database '\(name)' needs url_env: the environment variable holding its connection string")
        }
        let variable = try urlNode.string("url_env")
        guard let first = variable.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) || ("a"..."z").contains(first),
              variable.unicodeScalars.allSatisfy({ $0 == "_" || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) })
        else {
            throw urlNode.location.error("url_env must be an environment variable name such as NEON_MAIN_URL, found '\(variable)'")
        }
        return DatabaseSettings(name: name, urlEnv: variable, location: node.location)
    }
}
