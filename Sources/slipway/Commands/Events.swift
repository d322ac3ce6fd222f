import ArgumentParser
import Foundation
import SlipwayCore

struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Print the audit trail of events; --follow keeps printing new ones.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Keep printing events as they are recorded.") var follow = false
    @Flag(help: "Print JSON Lines.") var json = false
    @Option(help: "Only events of this component.") var component: String?
    @Option(help: "How many of the newest events to print first.") var limit = 50

    func validate() throws {
        // A negative count would start past the newest event, so a follower would skip the next ones.
        if limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() async throws {
        let log = try await global.openEventLog(json: json)
        let latest = try await log.latestEventID()
        var lastID = max(0, latest - Int64(limit))
        if lastID > 0, limit > 0, !json {
            // Said on stderr, so the lines on stdout stay events only.
            FileHandle.standardError.write(Data("(the newest \(limit) of \(latest) events; --limit N shows more)\n".utf8))
        }
        let page = 1000
        while true {
            let events = try await log.events(after: lastID, limit: page, component: component)
            for event in events {
                print(json ? try Self.jsonLine(event) : Self.textLine(event))
                lastID = event.id
            }
            fflush(nil)
            if events.count < page { break }
        }
        guard follow else { return }
        for try await event in log.follow(after: lastID, component: component) {
            print(json ? try Self.jsonLine(event) : Self.textLine(event))
            fflush(nil)
        }
    }

    static func textLine(_ event: Event) -> String {
        let scope = [event.component, event.environment].compactMap { $0 }.joined(separator: "/")
        let kind = event.knownKind == nil ? "\(event.kind) (unknown kind)" : event.kind
        return [TimeText.rfc3339(event.time), event.actor, kind, scope.isEmpty ? "-" : scope, event.runID ?? "-", event.payload]
            .joined(separator: "  ")
    }

    static func jsonLine(_ event: Event) throws -> String {
        var object: [String: Any] = [
            "id": event.id, "time": TimeText.rfc3339(event.time), "actor": event.actor, "kind": event.kind,
            "schema_version": event.schemaVersion, "known": event.knownKind != nil,
            "component": event.component ?? NSNull(), "environment": event.environment ?? NSNull(),
            "run_id": event.runID ?? NSNull(),
        ]
        object["payload"] = (try? JSONSerialization.jsonObject(with: Data(event.payload.utf8))) ?? event.payload
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
