import Foundation
import Testing
@testable import SlipwayCore

/// Moments to compare `CivilTime`'s text with Foundation's formatters and calendar on: edges and
/// 20,000 random ones from 1970 to 2100, each also at, just past and just before a millisecond.
enum SampleMoments {
    /// A fixed-seed generator (SplitMix64), so a failure names a moment that can be run again.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let all: [Date] = {
        var generator = SeededGenerator(state: 15)
        var dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 0.0005), Date(timeIntervalSince1970: 0.0004999),
            Date(timeIntervalSince1970: 0.9995), Date(timeIntervalSince1970: 59.9996),
            Date(timeIntervalSince1970: 951_782_400), // 2000-02-29, a leap day of a century year
            Date(timeIntervalSince1970: 4_107_542_399.9996), // the end of 2100-02-28, no leap day
            Date(timeIntervalSince1970: 2_147_483_647.5), Date(timeIntervalSince1970: 1_764_000_000.1229999),
            Date(timeIntervalSinceReferenceDate: 818_235_463.8816271),
        ]
        for _ in 0..<20_000 {
            let seconds = Double.random(in: 0...4_102_444_800, using: &generator)
            let millisecond = (seconds * 1000).rounded(.down) / 1000
            dates += [seconds, millisecond, millisecond.nextUp, millisecond.nextDown, millisecond + 0.0005]
                .map { Date(timeIntervalSince1970: $0) }
        }
        return dates
    }()
}

@Suite struct CivilTimeTests {
    /// What `TimeText` wrote before, with Foundation's calendar and formatters.
    static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }

    static func differences(_ ours: (Date) -> String, _ theirs: (Date) -> String) -> [String] {
        SampleMoments.all.compactMap { date in
            let (a, b) = (ours(date), theirs(date))
            return a == b ? nil : "\(date.timeIntervalSinceReferenceDate): \(a) != \(b)"
        }
    }

    @Test func rfc3339IsISO8601DateFormattersText() {
        let iso = ISO8601DateFormatter()
        let differing = Self.differences(TimeText.rfc3339, iso.string(from:))
        #expect(differing.isEmpty, "\(differing.count) differ: \(differing.prefix(5))")
    }

    @Test func rfc3339MillisecondsIsRoundedDownAsBefore() {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let differing = Self.differences(TimeText.rfc3339Milliseconds) { date in
            iso.string(from: Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded(.down) / 1000))
        }
        #expect(differing.isEmpty, "\(differing.count) differ: \(differing.prefix(5))")
    }

    @Test func clockDateTimeAndStampAreTheCalendarsFields() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        func pad(_ number: Int?) -> String { String(format: "%02d", number ?? -1) }
        let differing = Self.differences({ "\(TimeText.dateTime($0))|\(TimeText.stamp($0))|\(TimeText.clock($0))" }) { date in
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let clock = "\(pad(parts.hour)):\(pad(parts.minute)):\(pad(parts.second))"
            let monthDay = "\(pad(parts.month))-\(pad(parts.day))"
            return "\(parts.year ?? 0)-\(monthDay) \(clock)|\(monthDay) \(clock)|\(clock)"
        }
        #expect(differing.isEmpty, "\(differing.count) differ: \(differing.prefix(5))")
    }

    @Test func slotLogStampsAndRunIDsAreTheFormattersText() {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stamps = Self.differences(RotatingLog.stamp, iso.string(from:))
        #expect(stamps.isEmpty, "\(stamps.count) differ: \(stamps.prefix(5))")
        let compact = Self.formatter("yyyyMMddHHmmss")
        let ids = Self.differences({ String(RunRecord.newID(now: $0).dropFirst().prefix(14)) }, compact.string(from:))
        #expect(ids.isEmpty, "\(ids.count) differ: \(ids.prefix(5))")
    }
}
