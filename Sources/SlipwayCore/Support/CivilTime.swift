import Foundation

/// A moment's date and time of day in UTC on the Gregorian calendar, worked out by arithmetic.
/// Foundation's `Calendar` and date formatters go through ICU on Linux, and their first use loads
/// ICU's locale, calendar and zone data: 2.4 ms and 6.7 MB of peak memory in a small program,
/// 5.5 MB of the console's resident memory, and a new formatter a call where one was made per line.
struct CivilTime: Equatable, Sendable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var millisecond: Int

    init(millisecondsSince1970 milliseconds: Int64) {
        let perDay: Int64 = 86_400_000
        var days = milliseconds / perDay
        var inDay = milliseconds % perDay
        if inDay < 0 {
            days -= 1
            inDay += perDay
        }
        // Howard Hinnant's `civil_from_days`: days since 1970-01-01 to a proleptic Gregorian date.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        hour = Int(inDay / 3_600_000)
        minute = Int(inDay / 60_000 % 60)
        second = Int(inDay / 1000 % 60)
        millisecond = Int(inDay % 1000)
    }

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second, self.millisecond) = (hour, minute, second, millisecond)
    }

    /// The moment, as Foundation's Gregorian calendar makes it from these fields (from the Julian
    /// day, then the seconds of the day added one field at a time), so the `Date` is the same to
    /// the last bit as the one GRDB reads from the same text.
    var date: Date {
        // Howard Hinnant's `days_from_civil`.
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * Int64(month > 2 ? month - 3 : month + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let julianDay = Double(era * 146_097 + dayOfEra - 719_468 + 2_440_588)
        var secondsInDay = 0.0
        secondsInDay += Double(hour) * 3600
        secondsInDay += Double(minute) * 60
        secondsInDay += Double(second)
        secondsInDay += Double(millisecond * 1_000_000) / 1_000_000_000
        return Date(timeIntervalSinceReferenceDate: ((julianDay - 2_451_910.5) * 86400 - 43200) + secondsInDay)
    }

    /// `yyyy-MM-dd HH:mm:ss.SSS` or `yyyy-MM-dd HH:mm:ss`, exactly; nil for any other text.
    init?(storedMoment text: String) {
        var text = text
        let parsed = text.withUTF8 { bytes -> CivilTime? in
            guard bytes.count == 19 || bytes.count == 23 else { return nil }
            func number(_ start: Int, _ count: Int) -> Int? {
                var value = 0
                for index in start..<(start + count) {
                    let digit = Int(bytes[index]) - 48
                    guard (0...9).contains(digit) else { return nil }
                    value = value * 10 + digit
                }
                return value
            }
            let separators: [(Int, Unicode.Scalar)] = [(4, "-"), (7, "-"), (10, " "), (13, ":"), (16, ":")]
                + (bytes.count == 23 ? [(19, ".")] : [])
            guard separators.allSatisfy({ bytes[$0.0] == UInt8(ascii: $0.1) }),
                  let year = number(0, 4), let month = number(5, 2), let day = number(8, 2), let hour = number(11, 2),
                  let minute = number(14, 2), let second = number(17, 2),
                  let millisecond = bytes.count == 23 ? number(20, 3) : 0,
                  (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
            else { return nil }
            return CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond)
        }
        guard let parsed else { return nil }
        self = parsed
    }

    /// `date` to the millisecond below, as `Calendar.dateComponents` has it.
    init(truncating date: Date) {
        self.init(millisecondsSince1970: Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// `date` to the nearest millisecond, as Foundation's date formatters hand it to ICU (from the
    /// absolute time, halves up), so text made from it is theirs byte for byte.
    init(roundingAsFormatters date: Date) {
        self.init(millisecondsSince1970: Int64(((date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5).rounded(.down)))
    }

    /// The ways Slipway writes a moment.
    enum Layout {
        /// `2026-12-03T09:30:12Z`
        case rfc3339
        /// `2026-12-03T09:30:12.345Z`
        case rfc3339Milliseconds
        /// `2026-12-03 09:30:12.345`: GRDB's text for a stored `Date`.
        case storedMoment
        /// `20261203093012`: a run id's time.
        case compact
        /// `2026-12-03 09:30:12`
        case dateTime
        /// `12-03 09:30:12`
        case monthDayClock
        /// `09:30:12`
        case clock
    }

    func text(_ layout: Layout) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func append(_ value: Int, digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        func append(_ separator: Unicode.Scalar) {
            bytes.append(UInt8(ascii: separator))
        }
        func appendDate(_ separator: Unicode.Scalar?, year withYear: Bool = true) {
            if withYear {
                append(year, digits: 4)
                if let separator { append(separator) }
            }
            append(month, digits: 2)
            if let separator { append(separator) }
            append(day, digits: 2)
        }
        func appendClock(_ separator: Unicode.Scalar?) {
            append(hour, digits: 2)
            if let separator { append(separator) }
            append(minute, digits: 2)
            if let separator { append(separator) }
            append(second, digits: 2)
        }
        switch layout {
        case .rfc3339, .rfc3339Milliseconds:
            appendDate("-")
            append("T")
            appendClock(":")
            if layout == .rfc3339Milliseconds {
                append(".")
                append(millisecond, digits: 3)
            }
            append("Z")
        case .storedMoment:
            appendDate("-")
            append(" ")
            appendClock(":")
            append(".")
            append(millisecond, digits: 3)
        case .compact:
            appendDate(nil)
            appendClock(nil)
        case .dateTime, .monthDayClock:
            appendDate("-", year: layout == .dateTime)
            append(" ")
            appendClock(":")
        case .clock:
            appendClock(":")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
