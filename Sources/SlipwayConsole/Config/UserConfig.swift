import Foundation
import SlipwayCore

/// The operator's own console settings: `$XDG_CONFIG_HOME/slipway/config.yml`, else
/// `~/.config/slipway/config.yml`.
///
/// ```yaml
/// theme: light          # SLIPWAY_THEME wins
/// read_only: true
/// keys:                 # action name: key or list of keys
///   switch: S
///   quit: [q, "^Q"]
/// ```
struct UserConfig: Equatable, Sendable {
    var theme: String?
    var readOnly = false
    var keys: [ConsoleAction: [ConsoleKey]] = [:]
    /// The folder the file is in: its `themes/` holds the user's own themes.
    var folder: URL

    static func folder(environment: [String: String]) -> URL {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("slipway")
        }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return URL(fileURLWithPath: home).appendingPathComponent(".config/slipway")
    }

    /// The user config, or the defaults when there is no file.
    static func load(environment: [String: String]) throws(SlipwayConsoleError) -> UserConfig {
        let folder = folder(environment: environment)
        let url = folder.appendingPathComponent("config.yml")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return UserConfig(folder: folder) }
        return try parse(text, file: url.path, folder: folder)
    }

    static func parse(_ text: String, file: String, folder: URL) throws(SlipwayConsoleError) -> UserConfig {
        try SlipwayConsoleError.reading { () throws(SlipwayError) -> UserConfig in
            var config = UserConfig(folder: folder)
            guard let document = try ConfigNode.parse(text, file: file) else { return config }
            for (name, value, key) in try document.entries(context: "the console config") {
                switch name {
                case "theme": config.theme = try value.string("theme")
                case "read_only": config.readOnly = try value.bool("read_only")
                case "keys": config.keys = try keys(value)
                default: throw key.location.error("unknown key '\(name)' in the console config (known: theme, read_only, keys)")
                }
            }
            return config
        }
    }

    private static func keys(_ value: ConfigNode) throws(SlipwayError) -> [ConsoleAction: [ConsoleKey]] {
        var keys: [ConsoleAction: [ConsoleKey]] = [:]
        for (name, value, key) in try value.entries(context: "keys") {
            guard let action = ConsoleAction(rawValue: name) else {
                let known = Set(Bindings.all.filter { $0.context == .browsing }.map(\.action.rawValue)).sorted()
                throw key.location.error("unknown action '\(name)' (known: \(known.joined(separator: ", ")))")
            }
            var mapped: [ConsoleKey] = []
            for text in try value.stringList("the keys of \(name)") {
                guard let consoleKey = ConsoleKey(name: text) else {
                    throw value.location.error("'\(text)' is not a key: one character, ^X, or up, down, pgup, pgdn, home, end, enter, esc, tab, space")
                }
                mapped.append(consoleKey)
            }
            keys[action] = mapped
        }
        return keys
    }
}
