import Foundation
import GRDB

/// A moment as the embedded store writes it: GRDB's text for a `Date` (`yyyy-MM-dd HH:mm:ss.SSS`
/// in UTC, to the nearest millisecond), made by `CivilTime` instead of GRDB's `DateFormatter`,
/// whose first use loads ICU's data into every process that writes a moment (the console reads
/// silences at a moment, every run writes its heartbeat). The text is GRDB's byte for byte, so
/// stored moments compare and read back as before.
struct StoredMoment: DatabaseValueConvertible, Sendable {
    var date: Date

    init(_ date: Date) {
        self.date = date
    }

    /// For records: their `Date` columns written as `StoredMoment`s.
    static let encodingStrategy = DatabaseDateEncodingStrategy.custom { StoredMoment($0) }

    var text: String {
        CivilTime(roundingAsFormatters: date).text(.storedMoment)
    }

    var databaseValue: DatabaseValue {
        text.databaseValue
    }

    /// Its own text read without GRDB's `Calendar` (ICU again, as for writing); any other form a
    /// moment may take in the store (a number, another of SQLite's date texts) as GRDB reads it.
    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> StoredMoment? {
        if case .string(let text) = dbValue.storage, let civil = CivilTime(storedMoment: text) {
            return StoredMoment(civil.date)
        }
        return Date.fromDatabaseValue(dbValue).map(StoredMoment.init)
    }

    /// For records: their `Date` columns read as `StoredMoment`s.
    static let decodingStrategy = DatabaseDateDecodingStrategy.custom { fromDatabaseValue($0)?.date }
}
