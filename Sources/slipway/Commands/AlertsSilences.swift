import ArgumentParser
import Foundation
import SlipwayCore

struct AlertsSilences: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "silences", abstract: "The silences in force.")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    struct Line: Encodable {
        var id: String
        var severity: String?
        var component: String?
        var environment: String?
        var startsAt: Date
        var endsAt: Date
        var reason: String
        var actor: String

        enum CodingKeys: String, CodingKey {
            case id, severity, component, environment, startsAt = "starts_at", endsAt = "ends_at", reason, actor
        }
    }

    func run() async throws {
        let silences = try await global.openEngine(json: json).silences()
        if json {
            return try JSONOutput.print(silences.map {
                Line(id: $0.id, severity: $0.severity?.rawValue, component: $0.component, environment: $0.environment,
                     startsAt: $0.startsAt, endsAt: $0.endsAt, reason: $0.reason, actor: $0.actor)
            })
        }
        if silences.isEmpty { print("no silence in force") }
        for silence in silences {
            print("\(silence.id)  \(silence.scope) until \(TimeText.rfc3339(silence.endsAt)) by \(silence.actor): \(silence.reason)")
        }
    }
}
