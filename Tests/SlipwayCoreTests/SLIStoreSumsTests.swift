import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The store's window sums (running sums per minute) against the same windows summed in
/// memory by `SLOSeries`, over minutes added out of order, repeated, with gaps and with old
/// minutes dropped by the retention, on both stores.
@Suite(.postgresCluster, .timeLimit(.minutes(5))) struct SLIStoreSumsTests {
    static let lengths = [1, 5, 30, 60, 120, 360, 1440, 4320, 43_200]

    func increments(_ minutes: [SLIMinute], objective: String = "availability") -> [SLIIncrement] {
        minutes.map { .init(component: "api", environment: "production", objective: objective, minute: $0) }
    }

    @Test(arguments: StoreKind.allCases)
    func windowSumsMatchTheMinutesAddedInAnyOrder(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let store = try await kind.open(in: folder).store
        let now = Date()
        let end = SLIMinute.number(of: now)
        // Every third minute of the last 5 days, some bad; then repeats of some minutes; then
        // minutes inserted before all the others and between existing ones.
        var all: [SLIMinute] = []
        for minute in stride(from: end - 7200, to: end, by: 3) {
            all.append(SLIMinute(minute: minute, total: 100 + minute % 7, bad: minute % 13 == 0 ? 9 : minute % 2))
        }
        try store.add(increments(all), now: now)
        let repeats = all.filter { $0.minute % 5 == 0 }.map { SLIMinute(minute: $0.minute, total: 10, bad: 1) }
        let earlier = (1...20).map { SLIMinute(minute: end - 7200 - $0 * 11, total: 50, bad: 5) }
        let between = stride(from: end - 7199, to: end, by: 97).map { SLIMinute(minute: $0, total: 7, bad: 3) }
        try store.add(increments(repeats.reversed() + earlier + between), now: now)
        // Another objective's minutes must not leak into this one's sums.
        try store.add(increments([SLIMinute(minute: end - 1, total: 1000, bad: 1000)], objective: "latency-2s"), now: now)

        let series = SLOSeries(all + repeats + earlier + between)
        for before in [end, end - 1, end - 61, end - 3000, end - 7150] {
            let sums = try store.sliSums(
                component: "api", environment: "production", objective: "availability", lengths: Self.lengths, before: before)
            for (length, sum) in zip(Self.lengths, sums) {
                let expected = series.counts(last: length, before: before)
                #expect(sum.total == expected.total && sum.bad == expected.bad, "last \(length) before \(end - before): \(sum) != \(expected)")
            }
        }
    }

    @Test(arguments: StoreKind.allCases)
    func windowsReachingPastTheRetentionCountOnlyTheMinutesKept(kind: StoreKind) async throws {
        let folder = try TemporaryWorkspace()
        let store = try await kind.open(in: folder).store
        let end = 43_250
        // Minutes 0..<200, then a store "now" 31 days and 100 minutes after minute 0: minutes
        // 0..<100 go, and the 30-day window reaching before them counts 100..<200 alone.
        try store.add(increments((0..<200).map { SLIMinute(minute: $0, total: 10, bad: $0 < 100 ? 10 : 1) }),
                      now: Date(timeIntervalSince1970: 60 * Double(0 + SLIMinute.retention + 100)))
        let sums = try store.sliSums(
            component: "api", environment: "production", objective: "availability", lengths: [43_200, 50], before: end)
        #expect(sums[0].total == 1000 && sums[0].bad == 100, "\(sums[0])")
        #expect(sums[1].total == 0 && sums[1].bad == 0, "\(sums[1])")
        let tail = try store.sliSums(
            component: "api", environment: "production", objective: "availability", lengths: [50], before: 200)
        #expect(tail[0].total == 500 && tail[0].bad == 50, "\(tail[0])")
    }

    /// A store written before the running sums (v3) gets them from its minutes when it is opened.
    @Test func aStoreFromBeforeTheRunningSumsGetsThemWhenOpened() throws {
        let workspace = try TemporaryWorkspace()
        _ = try SQLiteStore(path: workspace.statePath, actor: "tester")
        // Back to the v3 shape of sli_minutes, with minutes of two objectives in it.
        let downgrade = """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("ALTER TABLE sli_minutes DROP COLUMN total_through")
            db.execute("ALTER TABLE sli_minutes DROP COLUMN bad_through")
            db.execute("DELETE FROM grdb_migrations WHERE identifier = 'v4-sli-running-sums'")
            for minute, total, bad in [(100, 10, 1), (103, 20, 2), (107, 5, 5)]:
                db.execute("INSERT INTO sli_minutes VALUES ('api', 'production', 'availability', ?, ?, ?)", (minute, total, bad))
            db.execute("INSERT INTO sli_minutes VALUES ('api', 'production', 'latency-2s', 104, 1000, 1000)")
            db.commit()
            """
        let result = try workspace.run("/usr/bin/env", ["python3", "-c", downgrade, workspace.statePath.path])
        try #require(result.status == 0, "\(result.output)")

        let store = try SQLiteStore(path: workspace.statePath, actor: "tester")
        let sums = try store.sliSums(
            component: "api", environment: "production", objective: "availability", lengths: [10, 5, 1], before: 108)
        #expect(sums.map(\.total) == [35, 25, 5])
        #expect(sums.map(\.bad) == [8, 7, 5])
        let latency = try store.sliSums(
            component: "api", environment: "production", objective: "latency-2s", lengths: [10], before: 108)
        #expect(latency.first?.total == 1000)
    }
}
