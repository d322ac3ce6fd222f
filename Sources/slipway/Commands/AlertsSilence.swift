import ArgumentParser
import Foundation
import SlipwayCore

struct AlertsSilence: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "silence", abstract: "Keep matching alerts from every sink until the silence ends; recorded in the audit.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "critical (page), warning (ticket) or info (default: every severity).") var severity: String?
    @Option(help: "The component (default: every component).") var component: String?
    @Option(help: "The environment (default: every environment).") var env: String?
    @Option(name: .customLong("for"), help: "How long, e.g. 2h or 30m.") var duration: String?
    @Option(help: "When it ends: '2026-12-03 14:05' (UTC), an RFC 3339 time, or 'in 2h'.") var until: String?
    @Option(help: "Why: recorded with the silence.") var reason: String?

    func run() async throws {
        let reason = (self.reason ?? "").trimmingCharacters(in: .whitespaces)
        guard !reason.isEmpty else { throw SlipwayError(.reasonRequired(what: "alerts silence", why: "why these alerts may go unheard")) }
        let now = Date()
        let end: Date
        switch (duration, until) {
        case (let duration?, nil):
            guard let seconds = DurationText.seconds(duration), seconds > 0 else {
                throw SlipwayError(.invalidValue(option: "--for", value: duration, expected: "a duration (e.g. 30m, 2h)"))
            }
            end = now.addingTimeInterval(seconds)
        case (nil, let until?):
            guard let moment = MomentText.parse(until, now: now), moment > now else {
                throw SlipwayError(.invalidValue(option: "--until", value: until, expected: "a time to come (e.g. '2026-12-03 14:05' UTC)"))
            }
            end = moment
        default:
            throw SlipwayError.usage("alerts silence needs an end: --for DURATION or --until TIME")
        }
        let level = try severity.map { name throws(SlipwayError) in
            guard let level = AlertRoute.severity(named: name) else {
                throw .usage("--severity: unknown severity '\(name)' (known: critical, warning, info; or page, ticket)")
            }
            return level
        }
        let engine = try await global.openEngine()
        let componentName = try component.map { name throws(SlipwayError) in try engine.workspace.component(named: name).name }
        let environment = try env.map { name throws(SlipwayError) in try engine.workspace.environment(named: name).name }
        try engine.authorize(.silenceAlerts, environment: environment, component: componentName)
        let silence = AlertSilence(
            severity: level, component: componentName, environment: environment, startsAt: now, endsAt: end, reason: reason,
            actor: engine.identity.name)
        try engine.store.silence(silence)
        print("silenced \(silence.scope) until \(TimeText.rfc3339(end)) (\(silence.id)): \(reason)")
    }
}
