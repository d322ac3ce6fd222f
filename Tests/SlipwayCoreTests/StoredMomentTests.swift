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
        func strategies<Record: EncodableRecord & FetchableRecord>(_ type: Record.Type) -> (String, DatabaseDateEncodingStrategy, DatabaseDateDecodingStrategy) {
            ("\(type)", type.databaseDateEncodingStrategy(for: "moment"), type.databaseDateDecodingStrategy(for: "moment"))
        }
        let records = [
            strategies(RunRecord.self), strategies(DeployLock.self), strategies(RequestRecord.self), strategies(PlatformReading.self),
            strategies(HostRecord.self), strategies(SlotRecord.self), strategies(HostStep.self), strategies(CanaryRecord.self),
            strategies(CanaryCommand.self), strategies(LiveProbe.self), strategies(AlertStateRecord.self),
        ]
        for (record, encoding, decoding) in records {
            if case .custom = encoding {} else { Issue.record("\(record) writes its moments with GRDB's DateFormatter") }
            if case .custom = decoding {} else { Issue.record("\(record) reads its moments with GRDB's Calendar") }
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
