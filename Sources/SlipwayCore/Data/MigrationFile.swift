import Foundation

/// A migration script on disk, named as Flyway names them: `V<version>__<description>.sql`
/// (versioned) or `U<version>__<description>.sql` (the compensating script of that version,
/// never run by itself).
public struct MigrationFile: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case versioned
        case compensating
    }

    public var kind: Kind
    public var version: MigrationVersion
    /// The name's description with `_` as spaces, as Flyway records it.
    public var description: String
    /// The path relative to the migrations folder, as Flyway records it in `script`.
    public var script: String
    public var text: String
    public var checksum: Int32

    public init(kind: Kind, version: MigrationVersion, description: String, script: String, text: String) {
        self.kind = kind
        self.version = version
        self.description = description
        self.script = script
        self.text = text
        self.checksum = FlywayChecksum.of(text)
    }

    /// The kind, version and description a file name gives, nil when it is not a migration's
    /// name; throws for a name that is one but malformed or refused (repeatable).
    static func parseName(_ name: String, at path: String) throws(SlipwayError) -> (Kind, MigrationVersion, String)? {
        guard name.hasSuffix(".sql") else { return nil }
        let stem = name.dropLast(4)
        if stem.hasPrefix("R__") {
            throw SlipwayError(.migration(.repeatable(path: path)))
        }
        guard let first = stem.first, first == "V" || first == "U", let separator = stem.range(of: "__") else {
            throw SlipwayError(.migration(.notAName(path: path)))
        }
        let versionText = String(stem[stem.index(after: stem.startIndex)..<separator.lowerBound])
        guard let version = MigrationVersion(versionText) else {
            throw SlipwayError(.migration(.notAVersion(path: path, text: versionText)))
        }
        let description = stem[separator.upperBound...].replacingOccurrences(of: "_", with: " ")
        return (first == "V" ? .versioned : .compensating, version, description)
    }
}
