import ArgumentParser
import Foundation
import SlipwayCore

/// `paced-append`: one event per append at a steady pace into a store, each append's start time
/// printed as a JSON line (`{"id":N,"sent":unix seconds}`), for `bench/follow_latency.py` to
/// match against the times its followers print the same ids.
struct PacedAppendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paced-append", abstract: "Append events one at a time at a steady pace, printing when each was sent.")

    @Option(help: "A postgres:// URL of a shared store, or the path of an embedded store file.") var store: String
    @Option(help: "How many events to append.") var events = Count(200)
    @Option(help: "Milliseconds from the start of one append to the start of the next.") var intervalMs = Count(50)

    func run() async throws {
        let append: (NewEvent) async throws -> Event
        if store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") {
            let shared = try await PostgresEventStore.open(try StoreURL(store, name: "--store"))
            append = { event in try await shared.append(event) }
        } else {
            let embedded = try SQLiteStore(path: URL(fileURLWithPath: store), actor: "bench")
            append = { event in try embedded.append(event) }
        }
        let clock = ContinuousClock()
        var next = clock.now
        for index in 0..<events.value {
            try await clock.sleep(until: next)
            let sent = Date().timeIntervalSince1970
            let event = try await append(NewEvent(
                .releaseTagged, component: "api", environment: "staging", details: EventDetails(version: "paced\(index)")))
            print("{\"id\":\(event.id),\"sent\":\(String(format: "%.6f", sent))}")
            fflush(nil)
            next = next.advanced(by: .milliseconds(intervalMs.value))
        }
    }
}
