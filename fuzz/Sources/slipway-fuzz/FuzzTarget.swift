import Foundation
@testable import SlipwayCore

/// One fuzz target per parser that reads outside input. Each takes libFuzzer's bytes; a parser
/// may refuse them only with a `SlipwayError`, anything else (a trap, a sanitizer report, a hang)
/// is a finding.
enum FuzzTarget: String, CaseIterable {
    case config
    case workspaceConfig = "workspace-config"
    case componentSettings = "component-settings"
    case report
    case jscpd
    case pathGlob = "path-glob"
    case makefile
    case router
    case upstreamResponse = "upstream-response"

    func run(_ data: Data) {
        switch self {
        case .config: Self.config(data)
        case .workspaceConfig: Self.workspaceConfig(data)
        case .componentSettings: Self.componentSettings(data)
        case .report: Self.report(data)
        case .jscpd: Self.jscpd(data)
        case .pathGlob: Self.pathGlob(data)
        case .makefile: Self.makefile(data)
        case .router: RouterRequest.handle(data)
        case .upstreamResponse: UpstreamResponse.handle(data)
        }
    }

    /// The YAML layer and every typed accessor a settings file reaches.
    private static func config(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        expectLocated { () throws(SlipwayError) in
            guard let root = try ConfigNode.parse(text, file: "fuzz.yml") else { return }
            for (_, value, _) in try root.entries(context: "fuzz") {
                _ = try? value.string("value")
                _ = try? value.bool("value")
                _ = try? value.int("value", in: 0...100)
                _ = try? value.percent("value")
                _ = try? value.duration("value")
                _ = try? value.stringList("value")
                _ = try? value.pathFilter("value")
            }
        }
    }

    private static func workspaceConfig(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        expectLocated { () throws(SlipwayError) in _ = try WorkspaceConfig.read(text, file: "slipway.yml") }
    }

    /// A component's own `slipway.yml` over the workspace's defaults.
    private static func componentSettings(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        expectLocated { () throws(SlipwayError) in
            guard let node = try ConfigNode.parse(text, file: "app/slipway.yml") else { return }
            _ = try ComponentSettings.parse(node, base: ComponentSettings(), environments: ["development", "production"])
        }
    }

    private static func report(_ data: Data) {
        do {
            _ = try Report.parse(data, file: "report", directory: URL(fileURLWithPath: "/nonexistent"))
        } catch {
            expectNamed(error, "report")
        }
    }

    private static func jscpd(_ data: Data) {
        do {
            _ = try JSCPDReport.duplicatedLines(data, name: "jscpd-report.json")
        } catch {
            expectNamed(error, "jscpd-report.json")
        }
    }

    /// The first line is the glob, the rest paths to match against it.
    private static func pathGlob(_ data: Data) {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let pattern = lines.first else { return }
        let glob = PathGlob(String(pattern))
        for path in lines.dropFirst() {
            let plain = glob.matches(String(path))
            let split = glob.matches(segments: PathGlob.segments(of: String(path)))
            precondition(plain == split, "matches(_:) and matches(segments:) disagree")
        }
    }

    private static func makefile(_ data: Data) {
        // Included files read as a small fixed text, so that `include` lines are followed without
        // touching the disk.
        let text = String(decoding: data, as: UTF8.self)
        _ = MakefileMetadata.parse(text, directory: URL(fileURLWithPath: "/nonexistent")) { _ in
            "INCLUDED := yes\nincluded-goal:\n"
        }
    }

    /// Configuration errors must point at `file:line:col`.
    private static func expectLocated(_ body: () throws(SlipwayError) -> Void) {
        do {
            try body()
        } catch {
            let message = error.description
            precondition(
                message.range(of: #"^[^:]+\.yml:\d+:\d+: "#, options: .regularExpression) != nil,
                "config error without file:line:col: \(message)")
        }
    }

    private static func expectNamed(_ error: SlipwayError, _ file: String) {
        precondition(error.description.hasPrefix(file), "report error without its file: \(error.description)")
    }
}
