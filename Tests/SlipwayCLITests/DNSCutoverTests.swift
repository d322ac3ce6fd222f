import Foundation
import SlipwayTestSupport
import Testing

/// `switch: dns` against the Cloudflare stand-in (a stateful stand-in for the API, not
/// Cloudflare): blue and green are two origins the component's Makefile deploys, the DNS record
/// moves the traffic. Assertions read the record back from the stand-in.
@Suite struct DNSCutoverTests {
    static let blue = "192.0.2.10"
    static let green = "192.0.2.20"

    func site(settings: String = "", function: String = #function) throws -> (CloudflareStandin, TemporaryWorkspace, SlipwayProcess) {
        let standin = try CloudflareStandin()
        try standin.zone("example.com", records: [
            // The origin before Slipway: neither colour, so the first deploy goes to blue.
            ["name": "site.example.com", "type": "A", "content": "192.0.2.1", "ttl": 300],
            ["name": "other.example.com", "type": "A", "content": "192.0.2.99", "ttl": 300],
        ])
        let workspace = try TemporaryWorkspace(files: [
            "services/site/Makefile": """
                deploy:
                \t@echo "deploying $(VERSION) to the $(COLOR) origin"
                health-check:
                \t@echo "the $(COLOR) origin is healthy"

                """,
            "services/site/slipway.yml": """
                switch: dns
                cloudflare:
                  zone: example.com
                  record: site.example.com
                  blue: "\(Self.blue)"
                  green: "\(Self.green)"
                  ttl: 60
                \(settings)
                """,
            ".gitignore": ".slipway/\n",
        ], function: function)
        try workspace.commitAll("site")
        var slipway = SlipwayProcess(workspace)
        slipway.environment.merge(standin.environment) { _, new in new }
        return (standin, workspace, slipway)
    }

    @Test func aSwitchWritesTheRecordAndIsCompleteWhenItReadsBack() throws {
        let (standin, _, slipway) = try site()

        let v1 = try slipway("deploy-service", "site", "--env", "staging", "--version", "v1", "--local")
        #expect(v1.status == 0, "\(v1.stdout)\(v1.stderr)")
        #expect(try standin.records()["site.example.com"]?.content == Self.blue)
        #expect(try standin.records()["site.example.com"]?.ttl == 60)

        let v2 = try slipway("deploy-service", "site", "--env", "staging", "--version", "v2", "--local")
        #expect(v2.status == 0, "\(v2.stdout)\(v2.stderr)")
        #expect(v2.stdout.contains("deploying v2 to the green origin"))
        #expect(v2.stdout.contains("DNS record site.example.com reads back \(Self.green)"), "\(v2.stdout)")
        #expect(try standin.records()["site.example.com"]?.content == Self.green)

        let back = try slipway("switch", "site", "--env", "staging", "--local")
        #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
        #expect(try standin.records()["site.example.com"]?.content == Self.blue)
        #expect(try standin.records()["other.example.com"]?.content == "192.0.2.99", "no other record is touched")
        let status = try slipway.json("status", "--env", "staging", "--refresh", "--json") as? [[String: Any]]
        let row = status?.first { $0["component"] as? String == "site" }
        #expect(row?["live_color"] as? String == "blue")
        #expect(row?["drift"] as? Bool == false)
    }

    @Test func aSwitchInterruptedAfterTheWriteIsReconciledFromTheRecord() throws {
        let (standin, _, slipway) = try site(settings: "  retry_deadline: 3s")
        #expect(try slipway("deploy-service", "site", "--env", "staging", "--version", "v1", "--local").status == 0)

        // The write lands; every read of the record by id fails until the deadline.
        try standin.fault("GET", path: "/dns_records/", status: 500, count: 1000)
        let interrupted = try slipway("switch", "site", "--env", "staging", "--local")
        #expect(interrupted.status == 1, "\(interrupted.stdout)\(interrupted.stderr)")
        #expect(try standin.records()["site.example.com"]?.content == Self.green, "the record was written")
        try standin.clearFaults()

        let status = try slipway.json("status", "--env", "staging", "--refresh", "--json") as? [[String: Any]]
        let row = status?.first { $0["component"] as? String == "site" }
        #expect(row?["live_color"] as? String == "blue", "the store never recorded the switch")
        #expect(row?["platform_color"] as? String == "green")
        #expect(row?["drift"] as? Bool == true)

        let next = try slipway("switch", "site", "--env", "staging", "--local")
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(next.stdout.contains("the platform sends the traffic to green, the store says blue; going by the platform"), "\(next.stdout)")
        #expect(try standin.records()["site.example.com"]?.content == Self.blue, "the switch went from the colour the record had")
    }

    @Test func aRefusedTokenChangesNoRecord() throws {
        let (standin, _, slipway) = try site()
        #expect(try slipway("deploy-service", "site", "--env", "staging", "--version", "v1", "--local").status == 0)
        try standin.fault("PATCH", path: "/dns_records/", status: 403)

        let refused = try slipway("switch", "site", "--env", "staging", "--local")
        #expect(refused.status == 1)
        let lines = (refused.stdout + refused.stderr).split(separator: "\n").filter { $0.contains("CLOUDFLARE_API_TOKEN") }
        #expect(lines.count >= 1 && lines.allSatisfy { $0.contains("Cloudflare refused CLOUDFLARE_API_TOKEN (403") }, "\(refused.stdout)")
        #expect(try standin.records()["site.example.com"]?.content == Self.blue)
    }
}
