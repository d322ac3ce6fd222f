import Foundation

/// A moment as an operator writes it: `2026-12-03T14:05:00Z` (fractions of a second allowed),
/// `2026-12-03 14:05` (UTC), or a time ago such as `-2h` or `90s ago`.
public enum MomentText {
    public static func parse(_ text: String, now: Date = Date()) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("-") {
            return DurationText.seconds(String(trimmed.dropFirst())).map { now.addingTimeInterval(-$0) }
        }
        if trimmed.hasSuffix(" ago") {
            return DurationText.seconds(String(trimmed.dropLast(4))).map { now.addingTimeInterval(-$0) }
        }
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        for format in ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) { return date }
        }
        return nil
    }
}
