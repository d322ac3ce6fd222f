import Foundation
import GRDB
import Testing
@testable import SlipwayCore

/// `StoredMoment` writes the text GRDB's `DateFormatter` writes for a `Date`, so moments stored
/// before and after it compare and read back alike.
@Suite struct StoredMomentTests {
    @Test func writesWhatGRDBsDateFormatterWrites() {
        var differing: [String] = []
        for date in SampleMoments.all {
            let expected = String.fromDatabaseValue(date.databaseValue)
            let written = StoredMoment(date).text
            if written != expected { differing.append("\(date.timeIntervalSinceReferenceDate): \(written) != \(expected ?? "nil")") }
        }
        #expect(differing.isEmpty, "\(differing.count) differ, first: \(differing.prefix(5))")
    }

    @Test func readsTheSameDateGRDBReadsFromTheSameText() {
        var differing: [String] = []
        for date in SampleMoments.all {
            let text = StoredMoment(date).databaseValue
            let withoutFraction = String(StoredMoment(date).text.prefix(19)).databaseValue
            for value in [text, withoutFraction] {
                let ours = StoredMoment.fromDatabaseValue(value)?.date, theirs = Date.fromDatabaseValue(value)
                if ours != theirs || ours == nil { differing.append("\(value): \(String(describing: ours)) != \(String(describing: theirs))") }
            }
        }
        #expect(differing.isEmpty, "\(differing.count) differ, first: \(differing.prefix(5))")
    }

    @Test func readsOtherFormsOfAMomentAsGRDBDoes() {
        let values: [DatabaseValue] = [
            "2026-12-03T09:30:12Z".databaseValue, "2026-12-03 09:30".databaseValue, "2026-12-03".databaseValue,
            "2026-12-03 09:30:12.5".databaseValue, 1_764_754_212.25.databaseValue, 1_764_754_212.databaseValue,
        ]
        for value in values {
            #expect(StoredMoment.fromDatabaseValue(value)?.date == Date.fromDatabaseValue(value), "\(value)")
            #expect(StoredMoment.fromDatabaseValue(value) != nil, "\(value)")
        }
        #expect(StoredMoment.fromDatabaseValue("not a moment".databaseValue) == nil)
    }

    /// The text is the same either way, so what shows a record skipping GRDB's formatter is its strategy.
    @Test func everyRecordWithMomentsWritesThemAsStoredMoments() {
        let strategies: [(String, DatabaseDateEncodingStrategy)] = [
            ("RunRecord", RunRecord.databaseDateEncodingStrategy(for: "started_at")),
            ("DeployLock", DeployLock.databaseDateEncodingStrategy(for: "acquired_at")),
            ("RequestRecord", RequestRecord.databaseDateEncodingStrategy(for: "requested_at")),
            ("PlatformReading", PlatformReading.databaseDateEncodingStrategy(for: "read_at")),
            ("HostRecord", HostRecord.databaseDateEncodingStrategy(for: "seen_at")),
            ("SlotRecord", SlotRecord.databaseDateEncodingStrategy(for: "started_at")),
            ("HostStep", HostStep.databaseDateEncodingStrategy(for: "requested_at")),
            ("CanaryRecord", CanaryRecord.databaseDateEncodingStrategy(for: "started_at")),
            ("CanaryCommand", CanaryCommand.databaseDateEncodingStrategy(for: "requested_at")),
            ("LiveProbe", LiveProbe.databaseDateEncodingStrategy(for: "checked_at")),
            ("AlertStateRecord", AlertStateRecord.databaseDateEncodingStrategy(for: "since")),
        ]
        for (record, strategy) in strategies {
            guard case .custom = strategy else {
                Issue.record("\(record) writes its moments with GRDB's DateFormatter")
                continue
            }
        }
        let decoding: [(String, DatabaseDateDecodingStrategy)] = [
            ("RunRecord", RunRecord.databaseDateDecodingStrategy(for: "started_at")),
            ("DeployLock", DeployLock.databaseDateDecodingStrategy(for: "acquired_at")),
            ("RequestRecord", RequestRecord.databaseDateDecodingStrategy(for: "requested_at")),
            ("PlatformReading", PlatformReading.databaseDateDecodingStrategy(for: "read_at")),
            ("HostRecord", HostRecord.databaseDateDecodingStrategy(for: "seen_at")),
            ("SlotRecord", SlotRecord.databaseDateDecodingStrategy(for: "started_at")),
            ("HostStep", HostStep.databaseDateDecodingStrategy(for: "requested_at")),
            ("CanaryRecord", CanaryRecord.databaseDateDecodingStrategy(for: "started_at")),
            ("CanaryCommand", CanaryCommand.databaseDateDecodingStrategy(for: "requested_at")),
            ("LiveProbe", LiveProbe.databaseDateDecodingStrategy(for: "checked_at")),
            ("AlertStateRecord", AlertStateRecord.databaseDateDecodingStrategy(for: "since")),
        ]
        for (record, strategy) in decoding {
            guard case .custom = strategy else {
                Issue.record("\(record) reads its moments with GRDB's Calendar")
                continue
            }
        }
    }

    @Test func recordsWriteTheirMomentsAsStoredMoments() throws {
        let started = Date(timeIntervalSince1970: 1_764_000_000.1235)
        let run = RunRecord(
            id: "r1", kind: .deploy, component: "web", environment: "staging", version: "v1", state: .running, actor: "ci",
            origin: "cli", host: "h", pid: 1, pidStartTime: "1", startedAt: started, heartbeatAt: started.addingTimeInterval(1),
            finishedAt: started.addingTimeInterval(2))
        let columns = try run.databaseDictionary
        for (column, date) in [("started_at", started), ("heartbeat_at", started.addingTimeInterval(1)), ("finished_at", started.addingTimeInterval(2))] {
            #expect(columns[column] == date.databaseValue, "\(column): \(String(describing: columns[column]))")
            #expect(columns[column] == StoredMoment(date).databaseValue)
        }
    }
}
