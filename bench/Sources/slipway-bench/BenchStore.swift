import Foundation
import SlipwayCore

/// Creates an empty store (the engine's schema, by its own migrations) and lets it close.
func createEmptyStore(at url: URL) throws {
    _ = try SQLiteStore(path: url, actor: benchActor)
}

func removeDatabase(_ url: URL) {
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
}

/// Appends events `range` through `EventStore.append` in calls of `batch` events; the
/// events are made before the clock starts.
func appendThroughStore(_ store: EventStore, _ range: Range<Int>, batch: Int) throws -> (seconds: Double, busy: Double) {
    var batches: [[NewEvent]] = []
    var index = range.lowerBound
    while index < range.upperBound {
        let end = min(index + batch, range.upperBound)
        batches.append(EventFactory.events(index..<end))
        index = end
    }
    let ticks = cpuTicks()
    let start = now()
    for events in batches { try store.append(events) }
    let elapsed = seconds(since: start)
    return (elapsed, busyCores(from: ticks, to: cpuTicks()))
}
