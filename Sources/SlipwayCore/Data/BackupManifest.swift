import Foundation

/// What a backup's `backup.json` holds, for `BackupFolder` to list it: its id (the folder's
/// name), the moment that orders it among the others, and how its times are written.
public protocol BackupManifest: Codable, Sendable {
    var id: String { get }
    /// Listings are oldest first by this, then by id.
    var listedTime: Date { get }
    static var timeFormat: BackupTimeFormat { get }
}

/// How a manifest's times are written. Each kind keeps the format it was first written in, so
/// backups taken by an older Slipway still list.
public enum BackupTimeFormat: Sendable {
    /// ISO 8601 to the second (the store's backups).
    case seconds
    /// RFC 3339 with milliseconds: a database backup's end decides which restores it serves,
    /// so whole seconds are too coarse.
    case milliseconds

    func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        switch self {
        case .seconds: decoder.dateDecodingStrategy = .iso8601
        case .milliseconds: decoder.dateDecodingStrategy = .formatted(Self.millisecondFormatter())
        }
        return decoder
    }

    func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        switch self {
        case .seconds: encoder.dateEncodingStrategy = .iso8601
        case .milliseconds: encoder.dateEncodingStrategy = .formatted(Self.millisecondFormatter())
        }
        return encoder
    }

    private static func millisecondFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"
        return formatter
    }
}
