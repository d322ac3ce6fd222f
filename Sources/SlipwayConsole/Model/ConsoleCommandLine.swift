import Foundation
import SlipwayCore

/// The `:` command line: what it accepts, and completion of its words.
enum ConsoleCommandLine {
    enum Command: Equatable, Sendable {
        case deploy(component: String, environment: String, version: String?)
        case switchTraffic(component: String, environment: String)
        case rollback(component: String, environment: String, version: String?)
        case environment(String)
        /// The past view at a moment.
        case travel(Date)
        case quit
    }

    static let verbs = ["deploy", "switch", "rollback", "env", "at", "q", "quit"]
    static let usage = ":deploy C ENV [V], :switch C ENV, :rollback C ENV [V], :env ENV, :at TIME, :q"

    /// The command `text` names, or a one-line reason it is not one; `now` is what `-2h` counts from.
    static func parse(
        _ text: String, components: [String], environments: [String], now: Date
    ) -> Result<Command, CommandError> {
        let words = text.split(separator: " ").map(String.init)
        guard let verb = words.first else { return .failure(CommandError("type a command: \(usage)")) }
        func component(_ index: Int) -> Result<String, CommandError> {
            guard index < words.count else { return .failure(CommandError(":\(verb) needs a component")) }
            guard components.contains(words[index]) else {
                return .failure(CommandError("no component '\(words[index])' (tab completes)"))
            }
            return .success(words[index])
        }
        func environment(_ index: Int) -> Result<String, CommandError> {
            guard index < words.count else { return .failure(CommandError(":\(verb) needs an environment")) }
            guard environments.contains(words[index]) else {
                return .failure(CommandError(
                    "no environment '\(words[index])' (known: \(environments.joined(separator: ", ")))"))
            }
            return .success(words[index])
        }
        func arity(_ most: Int) -> CommandError? {
            words.count > most ? CommandError("too many words for :\(verb): \(usage)") : nil
        }
        switch verb {
        case "q", "quit":
            return arity(1).map { .failure($0) } ?? .success(.quit)
        case "env":
            if let error = arity(2) { return .failure(error) }
            return environment(1).map { .environment($0) }
        case "at":
            let moment = words.dropFirst().joined(separator: " ")
            guard let date = MomentText.parse(moment, now: now) else {
                return .failure(CommandError(
                    ":at: '\(moment)' is not a moment (2026-12-03 14:05 in UTC, 2026-12-03T14:05:00Z, -2h or 2h ago)"))
            }
            return .success(.travel(date))
        case "deploy", "rollback", "switch":
            if let error = arity(verb == "switch" ? 3 : 4) { return .failure(error) }
            return component(1).flatMap { name in
                environment(2).map { env in
                    let version = words.count > 3 ? words[3] : nil
                    switch verb {
                    case "deploy": return .deploy(component: name, environment: env, version: version)
                    case "rollback": return .rollback(component: name, environment: env, version: version)
                    default: return .switchTraffic(component: name, environment: env)
                    }
                }
            }
        default:
            return .failure(CommandError("unknown command '\(verb)': \(usage)"))
        }
    }

    /// `text` with its last word completed as far as the candidates agree, and the candidates
    /// left when more than one fits. A unique completion ends in a space, ready for the next word.
    static func complete(
        _ text: String, components: [String], environments: [String], versions: (String, String) -> [String]
    ) -> (text: String, candidates: [String]) {
        var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        if words.isEmpty { words = [""] }
        let partial = words.removeLast()
        let verb = words.first
        let options: [String] = switch (words.count, verb) {
        case (0, _): verbs
        case (1, "env"): environments
        case (1, "deploy"), (1, "switch"), (1, "rollback"): components
        case (2, "deploy"), (2, "switch"), (2, "rollback"): environments
        case (3, "deploy"), (3, "rollback"): versions(words[1], words[2])
        default: []
        }
        var seen = Set<String>()
        let matches = options.filter { $0.hasPrefix(partial) && seen.insert($0).inserted }
        guard let first = matches.first else { return (text, []) }
        let prefix = (words + [matches.count == 1 ? first + " " : commonPrefix(matches)]).joined(separator: " ")
        return (prefix, matches.count == 1 ? [] : matches)
    }

    private static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for word in words.dropFirst() {
            while !word.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}

/// Why a `:` command was not run, as the status line says it.
struct CommandError: Error, Equatable, Sendable {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}
