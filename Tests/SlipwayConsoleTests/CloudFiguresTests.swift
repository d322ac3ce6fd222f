import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// Cloud components on the health and component screens: per-colour (or per-version) figures
/// from the platform's metrics labelled with their source, the split and versions the platform
/// reports, a failed reading as one line, Pages saying it has no per-colour figures; and `s`,
/// `b` and the canary keys sending their requests for a cloud component as for a local one.
@Suite struct CloudFiguresTests {
    static let now = Fixtures.now
    /// 09:28 to 09:29 UTC, the last complete minute before `now`.
    static let windowEnd = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 60).rounded(.down) * 60 - 60)
    static let problem = "aws cloudwatch get-metric-data: UnrecognizedClientException: the security token included in the request is invalid (credentials: AWS_ACCESS_KEY_ID)"

    static func reading(
        _ component: String, _ environment: String, source: String, shares: [PlatformShare], note: String? = nil, problem: String? = nil
    ) -> PlatformReading {
        PlatformReading(
            component: component, environment: environment, readAt: now - 20, source: source, windowStart: windowEnd - 60,
            windowEnd: windowEnd, shares: shares, note: note, problem: problem)
    }

    static var readings: [PlatformReading] {
        [
            reading("billing", "development", source: "CloudWatch", shares: [
                PlatformShare(name: "blue", version: "66aa88bb99cc", percent: 0, requests: 0, failures: 0),
                PlatformShare(name: "green", version: "77aa88bb99cc", percent: 100, requests: 200, failures: 4, p95Milliseconds: 52.4),
            ]),
            reading("billing", "staging", source: "CloudWatch", shares: [], problem: problem),
            reading("landing-page", "production", source: "Pages",
                    shares: [PlatformShare(name: "production", version: "5e5e5e5e5e5e", percent: 100)],
                    note: "Pages has no per-colour metrics (one production deployment)"),
        ]
    }

    static func state(size: TerminalSize = TerminalSize(rows: 40, columns: 160), symbols: SymbolSet = .unicode, canary: Bool = false) -> ConsoleState {
        var snapshot = RichFixtures.snapshot
        snapshot.platform = readings
        if canary {
            snapshot.canaries = [CanaryPanel(CanaryRecord(
                component: "billing", environment: "development", runID: "r20261129093000-0003", version: "66aa88bb99cc",
                canaryColor: "green", stableColor: "blue", progress: CanaryPanelTests.progress, updatedAt: now - 30), runState: .running)!]
        }
        let initial = ConsoleState(header: Fixtures.header, size: size, now: now, symbols: symbols)
        return Console.update(initial, .loaded(snapshot, Fixtures.header)).0
    }

    /// The component screen of billing (the fleet's second component), development selected.
    static func billing(canary: Bool = false) -> ConsoleState {
        Fixtures.pressing([.character("j"), .enter], in: state(canary: canary))
    }

    @Test func theHealthScreenShowsCloudFiguresWithTheirSource() throws {
        let frame = Console.render(Fixtures.pressing([.character("3")], in: Self.state()))
        let heading = try #require(frame.line(containing: "REQ/ERR")).text
        #expect(heading.contains("SOURCE"), "\(frame.text)")
        let ecs = try #require(frame.lines.first { $0.hasPrefix("billing") && $0.contains("development") })
        #expect(ecs.contains("52.4ms") && ecs.contains("2.0%") && ecs.contains("b 0/0 g 200/4") && ecs.contains("CloudWatch"), "\(ecs)")
        let local = try #require(frame.lines.first { $0.hasPrefix("accounts") && $0.contains("staging") })
        #expect(local.contains("b 120/0 g 80/2") && local.contains("router"), "the router's figures keep their own label: \(local)")
    }

    /// A Worker (like a Lambda alias or a Pages project) moves between versions: `s` says so at
    /// once, with what to press instead, and asks nothing of the agent.
    @Test func switchOnAComponentThatServesVersionsSaysWhatToDoInstead() throws {
        var snapshot = RichFixtures.snapshot
        snapshot.platform = [Self.reading("billing", "development", source: "Workers analytics", shares: [
            PlatformShare(name: "77aa88bb99cc", version: "77aa88bb99cc", percent: 100, requests: 300, failures: 6),
        ])]
        let initial = ConsoleState(header: Fixtures.header, size: TerminalSize(rows: 40, columns: 160), now: Self.now, symbols: .unicode)
        let worker = Fixtures.pressing([.character("j"), .enter], in: Console.update(initial, .loaded(snapshot, Fixtures.header)).0)
        let (pressed, effects) = Console.update(worker, .key(.character("s")))
        #expect(pressed.pending == nil && effects.isEmpty)
        #expect(pressed.statusMessage == "billing in development moves between versions, not colours: roll back with b, or pick a release with r")
    }

    @Test(arguments: [TerminalSize(rows: 24, columns: 80), TerminalSize(rows: 40, columns: 160)])
    func aFailedReadingIsOneLineAndPagesSaysItHasNoFigures(size: TerminalSize) throws {
        let frame = Console.render(Fixtures.pressing([.character("3")], in: Self.state(size: size)))
        let failed = try #require(frame.line(containing: "billing in staging: CloudWatch: aws cloudwatch"), "\(frame.text)")
        #expect(frame.lines.filter { $0.contains("billing in staging") || $0.contains("Unrecognized") }.count == 1, "one line: \(frame.text)")
        let pages = try #require(frame.line(containing: "landing-page in production: Pages: Pages has no per-colour metrics"))
        #expect(pages.row == failed.row + 1)
        let staging = try #require(frame.lines.first { $0.hasPrefix("billing") && $0.contains("staging") })
        #expect(!staging.contains("0/0") && !staging.contains("0.0%"), "no zeros for figures nobody gave: \(staging)")
        if size.columns >= 160 {
            #expect(staging.contains("CloudWatch failed"))
            let landing = try #require(frame.lines.first { $0.hasPrefix("landing-page") && $0.contains("production") })
            #expect(!landing.contains("0/0") && landing.contains("Pages"), "\(landing)")
        }
        #expect(frame.text.contains("SERVICE LEVEL OBJECTIVES") || size.rows < 30, "the objectives still follow")
    }

    @Test func theComponentScreenShowsTheSplitVersionsAndFiguresFromThePlatform() throws {
        let frame = Console.render(Self.billing())
        let development = try #require(frame.lines.first { $0.hasPrefix("development") })
        #expect(development.contains("blue 0%  green 100%"), "the split the listener reports: \(development)")
        let title = try #require(frame.line(containing: "LIVE TRAFFIC"))
        let source = try #require(frame.lines.first { $0.hasPrefix("development") && $0.contains("CloudWatch 09:28-09:29") }, "\(frame.text)")
        _ = source
        let green = try #require(frame.lines.first { $0.contains("green") && $0.contains("77aa88bb99cc") })
        #expect(green.contains("100%") && green.contains("200 req  2.0% errors  p95 52.4ms"), "\(green)")
        let blue = try #require(frame.lines.first { $0.contains("blue") && $0.contains("66aa88bb99cc") })
        #expect(blue.contains("0%") && blue.contains("0 req  -"), "\(blue)")
        let staging = try #require(frame.lines.first { $0.hasPrefix("staging") && $0.contains("CloudWatch") && $0.contains("UnrecognizedClientException") })
        #expect(title.row < (frame.line(containing: "no slots")?.row ?? frame.rows), "before the slots: \(staging)")
    }

    @Test func switchAndRollbackOnACloudComponentSendTheirRequests() throws {
        let (asking, none) = Console.update(Self.billing(), .key(.character("s")))
        #expect(none.isEmpty)
        #expect(asking.pending?.summary == "switch billing in development: green 77aa88bb99cc -> blue 66aa88bb99cc, as the platform reports it")
        let (_, effects) = Console.update(asking, .key(.character("y")))
        #expect(effects == [.request(.run(.switchTraffic(.init(component: "billing", environment: "development", color: nil))))])
        let rollback = Fixtures.pressing([.character("b")], in: Self.billing())
        let (_, rollbackEffects) = Console.update(rollback, .key(.character("y")))
        #expect(rollbackEffects == [.request(.run(.rollback(.init(component: "billing", environment: "development", version: nil, force: false))))])
    }

    @Test(arguments: [
        (ConsoleKey.character("P"), CanaryCommand.Kind.promote), (.character("p"), .pause), (.character("u"), .resume), (.character("A"), .abort),
    ])
    func canaryKeysOnACloudComponentCommandItsCanary(key: ConsoleKey, kind: CanaryCommand.Kind) throws {
        let asked = Fixtures.pressing([key], in: Self.billing(canary: true))
        #expect(asked.pending != nil, "\(asked.statusMessage ?? "")")
        let (_, effects) = Console.update(asked, .key(.character("y")))
        #expect(effects == [.request(.canary(kind, component: "billing", environment: "development"))])
    }
}
