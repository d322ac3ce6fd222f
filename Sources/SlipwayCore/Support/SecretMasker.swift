import Foundation

/// Replaces secret values with `****` in everything Slipway stores, prints or shows.
///
/// Secrets are the values of variables named under `secrets:` in config and of every
/// environment variable whose name ends in `_TOKEN`, `_KEY`, `_SECRET` or `PASSWORD`.
public struct SecretMasker: Sendable {
    public static let mask = "****"
    /// Values shorter than this are not masked: masking `1` or `no` would garble every line.
    public static let minimumLength = 4

    private let values: [String]

    public init(values: [String]) {
        self.values = Set(values.filter { $0.count >= Self.minimumLength }).sorted { $0.count > $1.count }
    }

    public static func isSecretName(_ name: String) -> Bool {
        let upper = name.uppercased()
        return upper.hasSuffix("_TOKEN") || upper.hasSuffix("_KEY") || upper.hasSuffix("_SECRET")
            || upper.hasSuffix("PASSWORD")
    }

    /// The masker for `environment`, with the variables in `names` treated as secret too.
    public init(environment: [String: String], names: [String]) {
        let named = Set(names)
        self.init(values: environment.compactMap { name, value in
            named.contains(name) || Self.isSecretName(name) ? value : nil
        })
    }

    public var isEmpty: Bool { values.isEmpty }

    public func mask(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        var result = text
        for value in values where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: Self.mask)
        }
        return result
    }
}
