import Foundation
import SlipwayCore

/// Colours for the console's roles, from a YAML file of `role: colour`.
struct Theme: Equatable, Sendable {
    var colors: [ColorRole: ThemeColor]
    var background = ThemeColor.terminalDefault

    /// The built-in colours, the same as `themes/default.yml`.
    static let standard = Theme(colors: [
        .title: .indexed(6), .healthy: .indexed(2), .unhealthy: .indexed(1), .inProgress: .indexed(3),
        .blue: .indexed(4), .green: .indexed(2),
    ])

    /// Parses a theme file; every role not named keeps its standard colour.
    static func parse(_ text: String, file: String) throws(SlipwayConsoleError) -> Theme {
        try SlipwayConsoleError.reading { () throws(SlipwayError) -> Theme in
            var theme = standard
            guard let document = try ConfigNode.parse(text, file: file) else { return theme }
            for (name, value, key) in try document.entries(context: "a theme") {
                let text = try value.string("the colour of \(name)")
                guard let color = ThemeColor(text) else {
                    throw value.location.error("'\(text)' is not a colour: use a name (\(ThemeColor.names.prefix(8).joined(separator: ", ")), bright-...), 0-255, #rrggbb or default")
                }
                if name == "background" {
                    theme.background = color
                } else if let role = ColorRole.allCases.first(where: { $0.name == name && $0 != .plain }) {
                    theme.colors[role] = color
                } else {
                    let known = ColorRole.allCases.filter { $0 != .plain }.map(\.name) + ["background"]
                    throw key.location.error("unknown role '\(name)' (known: \(known.joined(separator: ", ")))")
                }
            }
            return theme
        }
    }

    /// The theme called `name`: a file path, or `<name>.yml` in the user's themes folder or Slipway's `themes/`.
    static func load(named name: String, folders: [URL]) throws(SlipwayConsoleError) -> Theme {
        let candidates = name.contains("/") ? [URL(fileURLWithPath: name)]
            : folders.map { $0.appendingPathComponent("\(name).yml") }
        guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw SlipwayConsoleError("no theme '\(name)' (looked in \(candidates.map(\.path).joined(separator: ", ")))")
        }
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw SlipwayConsoleError("\(url.path):1:1: cannot read the theme")
        }
        return try parse(text, file: url.path)
    }

    /// `$SLIPWAY_THEMES_DIR`, else the `themes/` of the checkout Slipway was built from.
    static func shippedFolder(environment: [String: String]) -> URL {
        environment["SLIPWAY_THEMES_DIR"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes")
    }
}
