import Foundation

/// Where a team's shared store is: a PostgreSQL connection string, from `store:` in
/// `slipway.yml` or `SLIPWAY_STORE_URL`. It is a secret: it shows only as `masked`, its password
/// replaced, in every message and log line.
public struct StoreURL: Sendable, CustomStringConvertible {
    public static let variable = "SLIPWAY_STORE_URL"

    /// The connection string as given, password and all: only for connecting.
    public let text: String
    public let database: DatabaseURL

    /// Parses `text`; `name` says where it came from in an error, which never repeats the text.
    public init(_ text: String, name: String) throws(SlipwayError) {
        self.text = text
        database = try DatabaseURL(text, name: name)
    }

    /// The password, for the masker of everything else that might repeat it.
    public var password: String? { database.password }

    /// The connection string with its password replaced by `****`.
    public var masked: String {
        guard var components = URLComponents(string: text) else { return "postgres://\(SecretMasker.mask)" }
        if components.password != nil { components.password = SecretMasker.mask }
        if var items = components.queryItems, items.contains(where: { $0.name == "password" }) {
            for index in items.indices where items[index].name == "password" { items[index].value = SecretMasker.mask }
            components.queryItems = items
        }
        return components.string ?? "postgres://\(SecretMasker.mask)"
    }

    public var description: String { masked }
}
