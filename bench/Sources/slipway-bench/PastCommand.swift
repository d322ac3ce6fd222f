import ArgumentParser
import Foundation
import SlipwayCore

/// `past`: the console's past view at moments spread over the log.
struct PastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "past", abstract: "Time the console's past view at moments spread over the store DB's log.")

    @Argument(help: "The store's database file.") var db: String
    @Option(help: "How many moments.") var samples = Count(40)

    func run() throws {
        print(try pastMoments(db: URL(fileURLWithPath: db), samples: samples.value))
    }
}

func pastMoments(db: URL, samples: Int) throws -> String {
    let store = try SQLiteStore(path: db, actor: benchActor)
    guard let first = try store.event(steps: 0, from: 1), let last = try store.latestEvent() else {
        throw BenchError("\(db.path) holds no events")
    }
    var projection: [Double] = []
    var whole: [Double] = []
    var states = 0
    for index in 0..<samples {
        let fraction = Double(index) / Double(max(1, samples - 1))
        let moment = first.time + last.time.timeIntervalSince(first.time) * fraction
        let start = now()
        guard let mark = try store.lastEvent(atOrBefore: moment) else { continue }
        let folded = try store.projection(through: mark.id)
        projection.append(seconds(since: start))
        _ = try store.runs(asOf: mark.time, limit: 200)
        _ = try store.latestEvents(limit: 300, through: mark.id)
        whole.append(seconds(since: start))
        states = folded.states.count
    }
    let foldStart = now()
    _ = try store.foldedProjection()
    let fold = seconds(since: foldStart)
    func ms(_ values: [Double]) -> String {
        let sorted = values.sorted()
        let p95 = sorted.isEmpty ? Double.nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.95))]
        return "median \(fixed(median(values) * 1000, 1)) ms, p95 \(fixed(p95 * 1000, 1)) ms, max \(fixed((sorted.last ?? .nan) * 1000, 1)) ms"
    }
    return """
        past view over \(grouped(Int(last.id))) events, \(states) deployments, \(projection.count) moments:
          moment -> projection:                 \(ms(projection))
          with runs and 300 events (the view):  \(ms(whole))
          fold of every event (no checkpoint):  \(fixed(fold * 1000, 0)) ms
        """
}
