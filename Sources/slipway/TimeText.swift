import Foundation

/// Times as the command line prints them: RFC 3339, UTC.
enum TimeText {
    static func rfc3339(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }
}
