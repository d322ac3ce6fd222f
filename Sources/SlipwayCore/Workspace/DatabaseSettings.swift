/// One entry of the workspace's `databases:` block: where a database's connection string comes
/// from. Environments name it in their `database:`; the string itself is a secret.
public struct DatabaseSettings: Sendable, Equatable {
    public var name: String
    /// The environment variable holding the connection string (`url_env: NEON_MAIN_URL`);
    /// optional with Neon, whose backups and restores need only its API.
    public var urlEnv: String?
    public var provider: DatabaseProvider = .postgresql
    public var location: ConfigLocation

    static func parse(name: String, node: ConfigNode) throws(SlipwayError) -> DatabaseSettings {
        let context = "database '\(name)'"
        let entries = try node.mapping(
            allowing: ["url_env", "provider", "project_id", "branch"],
            aliases: ["urlEnv": "url_env", "projectId": "project_id"], context: context)
        var provider = DatabaseProvider.postgresql
        if let providerNode = entries["provider"] {
            let text = try providerNode.string("provider")
            switch text {
            case "postgresql":
                provider = .postgresql
            case "neon":
                guard let project = entries["project_id"] else {
                    throw node.location.error("\(context) uses provider neon and needs project_id: the Neon project's ID (Settings page of the Neon Console)")
                }
                guard let branch = entries["branch"] else {
                    throw node.location.error("\(context) uses provider neon and needs branch: the Neon branch that is this database (its name or br- ID)")
                }
                provider = .neon(projectID: try Self.neonName(project, "project_id"), branch: try Self.neonName(branch, "branch"))
            default:
                let hint = NearestName.suggestion(for: text, among: DatabaseProvider.names).map { "; did you mean '\($0)'?" } ?? ""
                throw providerNode.location.error(
                    "unknown database provider '\(text)'\(hint) (known: \(DatabaseProvider.names.joined(separator: ", ")))")
            }
        }
        if provider == .postgresql, let stray = entries["project_id"] ?? entries["branch"] {
            throw stray.location.error("project_id and branch in \(context) are for provider: neon")
        }
        var variable: String?
        if let urlNode = entries["url_env"] {
            let text = try urlNode.string("url_env")
            guard let first = text.unicodeScalars.first, first == "_" || ("A"..."Z").contains(first) || ("a"..."z").contains(first),
                  text.unicodeScalars.allSatisfy({ $0 == "_" || ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) })
            else {
                throw urlNode.location.error("url_env must be an environment variable name such as NEON_MAIN_URL, found '\(text)'")
            }
            variable = text
        } else if provider == .postgresql {
            throw node.location.error("\(context) needs url_env: the environment variable holding its connection string")
        }
        return DatabaseSettings(name: name, urlEnv: variable, provider: provider, location: node.location)
    }

    /// A Neon ID or branch name, which goes into the API's paths: no slashes, spaces or quotes.
    private static func neonName(_ node: ConfigNode, _ key: String) throws(SlipwayError) -> String {
        let text = try node.string(key)
        guard !text.isEmpty, text.unicodeScalars.allSatisfy({
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }) else {
            throw node.location.error("\(key) must be a Neon ID or branch name (letters, digits, '-', '_', '.'), found '\(text)'")
        }
        return text
    }
}
