import Foundation

/// Times as Slipway writes them for people, always in UTC so every operator sees the same
/// clock: RFC 3339 on the command line, short forms in the console.
public enum TimeText {
    /// `2026-12-03T09:30:12Z`
    public static func rfc3339(_ date: Date) -> String {
        CivilTime(roundingAsFormatters: date).text(.rfc3339)
    }

    /// `2026-12-03T09:30:12.345Z`: where a second is too coarse, as for the moments a database
    /// restores to (rounded down, so a moment printed is never later than the one meant).
    public static func rfc3339Milliseconds(_ date: Date) -> String {
        CivilTime(truncating: date).text(.rfc3339Milliseconds)
    }

    /// `09:30:12`
    public static func clock(_ date: Date) -> String {
        CivilTime(truncating: date).text(.clock)
    }

    /// `2026-11-29 09:30:12`: a moment in full, without the `T` and `Z` of RFC 3339.
    public static func dateTime(_ date: Date) -> String {
        CivilTime(truncating: date).text(.dateTime)
    }

    /// `11-29 09:30:12`: a run's start, short enough for the runs table.
    public static func stamp(_ date: Date) -> String {
        CivilTime(truncating: date).text(.monthDayClock)
    }

    /// `3s ago`, `4m ago`, `2h ago`, `3d ago`: how old a fact is, which a clock time makes the
    /// reader work out (and a probe from yesterday reads like one from a minute ago).
    public static func age(of date: Date, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince(date).rounded(.down)))
        return switch seconds {
        case ..<60: "\(seconds)s ago"
        case ..<3600: "\(seconds / 60)m ago"
        case ..<86400: "\(seconds / 3600)h ago"
        default: "\(seconds / 86400)d ago"
        }
    }

    /// `45s`, `29m`, `3h`, `2d`: a span of time rounded down to its largest unit (`0s` when past).
    public static func span(_ seconds: Double) -> String {
        let whole = max(0, Int(seconds.rounded(.down)))
        return switch whole {
        case ..<60: "\(whole)s"
        case ..<3600: "\(whole / 60)m"
        case ..<86400: "\(whole / 3600)h"
        default: "\(whole / 86400)d"
        }
    }
}
