/// Where an environment's secrets come from besides the operator's own variables (`secrets:` in
/// its `environments:` entry): the seed keeps them in Doppler; a team without it keeps a dotenv
/// file beside the workspace, out of git.
public enum SecretsSource: Sendable, Equatable {
    /// Doppler's config `config` of `project`, read with `DOPPLER_TOKEN`.
    case doppler(project: String, config: String)
    /// A dotenv file, relative to the workspace's root (`.env.<environment>` unless `path:` says).
    case envFile(path: String)

    public static let providers = ["doppler", "env-file"]
    /// Where Doppler's token is read from, as the Doppler CLI reads it.
    public static let dopplerTokenVariable = "DOPPLER_TOKEN"

    static func parse(_ node: ConfigNode, environment: String) throws(SlipwayError) -> SecretsSource {
        let context = "secrets of environment '\(environment)'"
        let entries = try node.mapping(allowing: ["provider", "project", "config", "path"], context: context)
        guard let providerNode = entries["provider"] else {
            throw node.location.error("\(context) need a provider (\(providers.joined(separator: " or ")))")
        }
        let provider = try providerNode.string("provider")
        switch provider {
        case "doppler":
            if let path = entries["path"] { throw path.location.error("path is for provider env-file, not doppler") }
            guard let project = entries["project"], let config = entries["config"] else {
                throw node.location.error("provider doppler needs project and config (the Doppler project and its config)")
            }
            return .doppler(project: try project.string("project"), config: try config.string("config"))
        case "env-file":
            for key in ["project", "config"] {
                if let entry = entries[key] { throw entry.location.error("\(key) is for provider doppler, not env-file") }
            }
            let path = try entries["path"]?.string("path") ?? ".env.\(environment)"
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw (entries["path"] ?? node).location.error("path must stay inside the workspace, found '\(path)'")
            }
            return .envFile(path: path)
        default:
            throw providerNode.location.error("unknown secrets provider '\(provider)' (known: \(providers.joined(separator: ", ")))")
        }
    }

    /// The variable that holds the provider's own credential, if it has one.
    public var credentialVariable: String? {
        switch self {
        case .doppler: Self.dopplerTokenVariable
        case .envFile: nil
        }
    }
}
