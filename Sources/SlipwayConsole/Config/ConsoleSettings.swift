import Foundation

/// How the console looks and what it allows, from the command line, the workspace, the
/// user config and the environment.
public struct ConsoleSettings: Sendable {
    var theme: Theme
    var readOnly: Bool
    var bindings: [Binding]
    /// False under `NO_COLOR`.
    var usesColor: Bool

    /// Reads the user config and the theme; a bad file is a `file:line:col` error.
    public static func load(
        readOnly: Bool, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SlipwayConsoleError) -> ConsoleSettings {
        let user = try UserConfig.load(environment: environment)
        let themeName = environment["SLIPWAY_THEME"].flatMap { $0.isEmpty ? nil : $0 } ?? user.theme
        let theme = try themeName.map { name throws(SlipwayConsoleError) in
            try Theme.load(
                named: name,
                folders: [user.folder.appendingPathComponent("themes"), Theme.shippedFolder(environment: environment)])
        } ?? .standard
        return ConsoleSettings(
            theme: theme, readOnly: readOnly || user.readOnly, bindings: Bindings.table(remapping: user.keys),
            usesColor: environment["NO_COLOR", default: ""].isEmpty)
    }
}
