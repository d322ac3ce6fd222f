import Foundation
import Testing
@testable import SlipwayConsole

@Suite struct ConsoleConfigTests {
    private let repositoryThemes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("themes")

    @Test(arguments: ["default", "light", "high-contrast", "mono"])
    func everyShippedThemeLoads(name: String) throws {
        let theme = try Theme.load(named: name, folders: [repositoryThemes])
        #expect(theme.colors.count == ColorRole.allCases.count - 1)
    }

    @Test func theDefaultFileMatchesTheBuiltInColours() throws {
        #expect(try Theme.load(named: "default", folders: [repositoryThemes]) == .standard)
    }

    @Test func coloursAreNamesNumbersRGBOrDefault() {
        #expect(ThemeColor("bright-cyan") == .indexed(14))
        #expect(ThemeColor("208") == .indexed(208))
        #expect(ThemeColor("#ff8800") == .rgb(red: 255, green: 136, blue: 0))
        #expect(ThemeColor("default") == .terminalDefault)
        #expect(ThemeColor("256") == nil && ThemeColor("#12345") == nil && ThemeColor("teal") == nil)
        #expect(ThemeColor("#ff8800")?.number(available: 256) == 208)
        #expect(ThemeColor("#ff0000")?.number(available: 8) == 1)
        #expect(ThemeColor("208")?.number(available: 8) == 0)
    }

    @Test func aBadColourIsAFileLineColumnError() {
        #expect(throws: SlipwayConsoleError("t.yml:3:8: 'purple-ish' is not a colour: use a name (black, red, green, yellow, blue, magenta, cyan, white, bright-...), 0-255, #rrggbb or default")) {
            try Theme.parse("title: cyan\nblue: 4\ngreen: purple-ish\n", file: "t.yml")
        }
    }

    @Test func anUnknownRoleAndBrokenYAMLAreFileLineColumnErrors() throws {
        let unknown = #expect(throws: SlipwayConsoleError.self) { try Theme.parse("title: cyan\nheader: red\n", file: "t.yml") }
        #expect(unknown?.message.hasPrefix("t.yml:2:1: unknown role 'header'") == true)
        let broken = #expect(throws: SlipwayConsoleError.self) { try Theme.parse("title: [cyan\n", file: "t.yml") }
        #expect(broken?.message.hasPrefix("t.yml:2:1: invalid YAML") == true)
        let missing = #expect(throws: SlipwayConsoleError.self) { try Theme.load(named: "nope", folders: [repositoryThemes]) }
        #expect(missing?.message.hasPrefix("no theme 'nope'") == true)
    }

    @Test func theUserConfigSetsThemeReadOnlyAndKeys() throws {
        let config = try UserConfig.parse(
            "theme: light\nread_only: true\nkeys:\n  switch: S\n  quit: [Q, \"^X\"]\n", file: "c.yml",
            folder: URL(fileURLWithPath: "/x"))
        #expect(config.theme == "light" && config.readOnly)
        #expect(config.keys == [.switchTraffic: [.character("S")], .quit: [.character("Q"), .character("\u{18}")]])
    }

    @Test func badUserConfigKeysAreFileLineColumnErrors() {
        let action = #expect(throws: SlipwayConsoleError.self) {
            try UserConfig.parse("keys:\n  launch: L\n", file: "c.yml", folder: URL(fileURLWithPath: "/x"))
        }
        #expect(action?.message.hasPrefix("c.yml:2:3: unknown action 'launch'") == true)
        let key = #expect(throws: SlipwayConsoleError.self) {
            try UserConfig.parse("keys:\n  quit: ctrl-q\n", file: "c.yml", folder: URL(fileURLWithPath: "/x"))
        }
        #expect(key?.message.hasPrefix("c.yml:2:9: 'ctrl-q' is not a key") == true)
        let top = #expect(throws: SlipwayConsoleError.self) {
            try UserConfig.parse("colour: red\n", file: "c.yml", folder: URL(fileURLWithPath: "/x"))
        }
        #expect(top?.message == "c.yml:1:1: unknown key 'colour' in the console config (known: theme, read_only, keys)")
    }

    @Test func settingsComeFromTheXDGConfigTheEnvironmentAndTheFlag() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("console-config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home.appendingPathComponent("slipway/themes"), withIntermediateDirectories: true)
        try "theme: mine\nread_only: true\nkeys:\n  switch: S\n".write(
            to: home.appendingPathComponent("slipway/config.yml"), atomically: true, encoding: .utf8)
        try "title: 208\n".write(to: home.appendingPathComponent("slipway/themes/mine.yml"), atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": home.path, "SLIPWAY_THEMES_DIR": repositoryThemes.path]
        let settings = try ConsoleSettings.load(readOnly: false, environment: environment)
        #expect(settings.readOnly && settings.usesColor)
        #expect(settings.theme.colors[.title] == .indexed(208))
        #expect(settings.bindings.contains { $0.action == .switchTraffic && $0.keys == [.character("S")] })
        var overridden = environment
        overridden["SLIPWAY_THEME"] = "high-contrast"
        overridden["NO_COLOR"] = "1"
        let other = try ConsoleSettings.load(readOnly: false, environment: overridden)
        #expect(other.theme.background == .indexed(0) && !other.usesColor)
        let none = try ConsoleSettings.load(readOnly: true, environment: ["HOME": home.appendingPathComponent("nobody").path])
        #expect(none.readOnly && none.theme == .standard && none.bindings == Bindings.all)
    }
}
