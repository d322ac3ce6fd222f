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

    @Test func readsBackAsTheDateGRDBReadsFromItsOwnText() {
        for date in SampleMoments.all.prefix(2000) {
            #expect(StoredMoment.fromDatabaseValue(StoredMoment(date).databaseValue)?.date == Date.fromDatabaseValue(date.databaseValue))
        }
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
