import Foundation
@testable import SlipwayCore
import SlipwayTestSupport
import Testing

/// The embedded store keeps its -wal file (persistent WAL), but the last process to close the
/// store must leave it empty: frames left valid there are read back by every later process when
/// it opens the store alone, and written into the database again when it closes.
@Suite struct StoreWALTests {
    @Test func theLastConnectionToCloseLeavesTheWALFileEmpty() throws {
        let workspace = try TemporaryWorkspace()
        let wal = workspace.statePath.path + "-wal"
        do {
            let store = try SQLiteStore(path: workspace.statePath)
            let events = (0..<2_000).map { index in
                NewEvent(.healthChecked, component: "api-\(index % 50)", environment: "production", details: EventDetails(healthy: true))
            }
            for batch in stride(from: 0, to: events.count, by: 100) {
                _ = try store.append(Array(events[batch..<batch + 100]))
            }
            #expect(try size(of: wal) > 256 << 10, "the appends went through the WAL")
        }
        #expect(FileManager.default.fileExists(atPath: wal), "the WAL file stays (persistent WAL)")
        #expect(try size(of: wal) == 0)

        do {
            let store = try SQLiteStore(path: workspace.statePath)
            #expect(try store.events(after: 0, limit: 10_000, component: nil).count == 2_000)
            // Only the write GRDB makes when it opens a pool on an empty WAL: no frame of the
            // first process is there to be read back or copied into the database again.
            #expect(try size(of: wal) < 64 << 10)
        }
        #expect(try size(of: wal) == 0)
    }

    private func size(of path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }
}
