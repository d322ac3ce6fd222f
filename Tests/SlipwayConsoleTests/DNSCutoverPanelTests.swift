import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// The component screen of a `switch: dns` component shows its record per environment: the TTL,
/// each colour's content, which one the record gives now, and during a run that resolvers follow
/// only as their caches expire.
@Suite struct DNSCutoverPanelTests {
    static func screen(of component: Int, cutovers: [DNSCutoverPanel]) -> Frame {
        var snapshot = RichFixtures.snapshot
        snapshot.cutovers = cutovers
        let initial = ConsoleState(header: Fixtures.header, size: TerminalSize(rows: 40, columns: 140), now: Fixtures.now, symbols: .unicode)
        let keys = Array(repeating: ConsoleKey.character("j"), count: component) + [.enter]
        return Console.render(Fixtures.pressing(keys, in: Console.update(initial, .loaded(snapshot, Fixtures.header)).0))
    }

    static let billing = ["development", "staging"].map { environment in
        DNSCutoverPanel(
            component: "billing", environment: environment, zone: "example.com", record: "billing.example.com", ttl: 60,
            blue: "192.0.2.1", green: "192.0.2.2")
    }

    @Test func theRecordItsTTLAndTheLiveColoursContentAreShownDuringASwitch() throws {
        let frame = Self.screen(of: 1, cutovers: Self.billing)
        #expect(frame.text.contains("billing in 3 environments"), "\(frame.text)")
        let title = try #require(frame.line(containing: "DNS CUTOVER"), "\(frame.text)")
        let slots = try #require(frame.line(containing: "SLOTS"))
        #expect(title.row < slots.row, "the record comes before the slots")
        let staging = frame.lines[title.row + 2]
        #expect(staging.hasPrefix("staging"), "\(staging)")
        #expect(staging.contains("billing.example.com (example.com, ttl 60s)"), "\(staging)")
        #expect(staging.contains("blue 192.0.2.1 (live)") && staging.contains("green 192.0.2.2"), "\(staging)")
        #expect(staging.contains("r1: resolvers follow within 60s"), "a run is in progress in staging: \(staging)")
        let development = frame.lines[title.row + 1]
        #expect(development.contains("green 192.0.2.2 (live)") && !development.contains("resolvers"), "\(development)")
    }

    @Test func aComponentWithoutACutoverHasNoSection() {
        let frame = Self.screen(of: 0, cutovers: Self.billing)
        #expect(frame.text.contains("accounts in 3 environments"))
        #expect(!frame.text.contains("DNS CUTOVER"))
    }

    @Test func panelsComeFromTheComponentsCloudflareBlockPerEnvironment() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dns-panel-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = [
            "services/edge/Makefile": "deploy:\n\t@true\n",
            "services/edge/slipway.yml": """
                switch: dns
                cloudflare: {zone: example.com, record: edge.example.com, blue: 192.0.2.1, green: 192.0.2.2, ttl: 120}
                environments:
                  production:
                    cloudflare: {zone: example.com, record: www.example.com, blue: 198.51.100.1, green: 198.51.100.2}

                """,
            "services/plain/Makefile": "deploy:\n\t@true\n",
        ]
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let panels = DNSCutoverPanel.panels(in: try Workspace.load(at: folder))
        #expect(Set(panels.map(\.component)) == ["edge"])
        #expect(panels.first { $0.environment == "staging" }?.record == "edge.example.com")
        #expect(panels.first { $0.environment == "staging" }?.ttl == 120)
        #expect(panels.first { $0.environment == "production" }?.record == "www.example.com")
        #expect(panels.first { $0.environment == "production" }?.blue == "198.51.100.1")
    }
}
