import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// A component placed on several hosts: the component screen lists each host (state, its own
/// router's live colour, the version per colour) and the total, and the fleet row says when the
/// hosts disagree, as a deploy moves host by host or a host goes down.
@Suite struct HostsScreenTests {
    static func host(
        _ name: String, _ state: HostSummary.State?, live: String?, versions: [String: String] = [:]
    ) -> HostPanel.Host {
        HostPanel.Host(name: name, state: state, liveColor: live, versions: versions)
    }

    static let old = "0c1d2e3f4a5b"
    static let new = "3f9a2c1b7d4e"

    /// accounts in staging, a one-by-one deploy from blue to green halfway: web-1 and web-2 moved, web-3 not yet.
    static let midDeploy = HostPanel(
        component: "accounts", environment: "staging",
        hosts: [
            host("web-1", .up, live: "green", versions: ["blue": old, "green": new]),
            host("web-2", .up, live: "green", versions: ["blue": old, "green": new]),
            host("web-3", .up, live: "blue", versions: ["blue": old]),
        ],
        minHealthy: 2)

    /// accounts in staging on green everywhere it runs: web-3 down, web-4 placed but its agent never seen.
    static let hostsMissing = HostPanel(
        component: "accounts", environment: "staging",
        hosts: [
            host("web-1", .up, live: "green", versions: ["green": new]),
            host("web-2", .up, live: "green", versions: ["green": new]),
            host("web-3", .down, live: "green", versions: ["green": new]),
            host("web-4", nil, live: nil),
        ],
        minHealthy: 2)

    static let agreeing = HostPanel(
        component: "accounts", environment: "staging",
        hosts: [
            host("web-1", .up, live: "green", versions: ["green": new]),
            host("web-2", .up, live: "green", versions: ["green": new]),
        ],
        minHealthy: nil)

    static func state(_ panels: [HostPanel], size: TerminalSize = TerminalSize(rows: 30, columns: 120)) -> ConsoleState {
        var snapshot = RichFixtures.snapshot
        snapshot.hosts = panels
        let initial = ConsoleState(header: Fixtures.header, size: size, now: Fixtures.now, symbols: .unicode)
        return Console.update(initial, .loaded(snapshot, Fixtures.header)).0
    }

    static func component(_ panels: [HostPanel], size: TerminalSize = TerminalSize(rows: 30, columns: 120)) -> Frame {
        Console.render(Fixtures.pressing([.enter], in: state(panels, size: size)))
    }

    // MARK: The component screen

    @Test func theComponentScreenListsEachHostWithItsStateLiveColourAndVersions() throws {
        let frame = Self.component([Self.midDeploy])
        #expect(frame.text.contains("HOSTS"), "\(frame.text)")
        let web1 = try #require(frame.line(containing: "web-1 ")).text
        #expect(web1.contains("web-1  ● up"), "\(web1)")
        #expect(web1.contains("green  green \(Self.new)  blue \(Self.old)"), "the live colour's version first: \(web1)")
        let web3 = try #require(frame.line(containing: "web-3 ")).text
        #expect(web3.contains("● up"), "\(web3)")
        #expect(web3.contains("blue   blue \(Self.old)"), "\(web3)")
        #expect(!web3.contains("green"), "\(web3)")
        let hosts = try #require(frame.line(containing: "HOSTS")).row
        let web1Row = try #require(frame.line(containing: "web-1 ")).row
        #expect(frame[web1Row, 11].style.role == .healthy, "up is coloured like healthy")
        #expect(web1Row == hosts + 2, "the total comes before the hosts")
    }

    @Test func theTotalSaysOnHowManyHostsEachColourIsLive() throws {
        let frame = Self.component([Self.midDeploy])
        let total = try #require(frame.line(containing: "traffic on")).text
        #expect(total.hasPrefix("staging"), "\(total)")
        #expect(total.contains("traffic on green on 2 of 3 hosts, on blue on 1 (min_healthy 2)"), "\(total)")
    }

    @Test func aDownHostIsShownDownAndCountedInTheTotal() throws {
        let frame = Self.component([Self.hostsMissing])
        let web3 = try #require(frame.line(containing: "web-3 ")).text
        #expect(web3.contains("✗ down"), "\(web3)")
        let row = try #require(frame.line(containing: "web-3 ")).row
        #expect(frame[row, 9].style.role == .unhealthy, "down is coloured like unhealthy")
        #expect(frame[row, 21].scalar == "g" && frame[row, 21].style.emphasis == .dim, "a down host's colour is only what it last was")
        let total = try #require(frame.line(containing: "traffic on")).text
        #expect(total.contains("traffic on green on 2 of 4 hosts, 1 down, 1 never seen (min_healthy 2)"), "\(total)")
    }

    @Test func aPlacedHostNeverSeenIsListedAsSuchNotHidden() throws {
        let frame = Self.component([Self.hostsMissing])
        let web4 = try #require(frame.line(containing: "web-4")).text
        #expect(web4.contains("? never seen"), "\(web4)")
        #expect(web4.contains("-      no slots running"), "\(web4)")
    }

    @Test func aStoppedHostIsSaidStopped() throws {
        var panel = Self.agreeing
        panel.hosts[1].state = .stopped
        let frame = Self.component([panel])
        #expect(try #require(frame.line(containing: "web-2 ")).text.contains("◌ stopped"))
        #expect(try #require(frame.line(containing: "traffic on")).text.contains("traffic on green on 1 of 2 hosts, 1 stopped"))
    }

    @Test func noHostsSectionForAComponentOnOneHostUnplaced() {
        let frame = Self.component([])
        #expect(!frame.text.contains("HOSTS"), "\(frame.text)")
    }

    /// A new load (the watcher's, on a heartbeat) with a host gone down is what the next frame shows.
    @Test func aLoadWithAHostGoneDownRedrawsItDown() throws {
        var state = Fixtures.pressing([.enter], in: Self.state([Self.agreeing]))
        #expect(try #require(Console.render(state).line(containing: "web-2 ")).text.contains("● up"))
        var down = Self.agreeing
        down.hosts[1].state = .down
        var snapshot = state.snapshot
        snapshot.hosts = [down]
        state = Console.update(state, .loaded(snapshot, Fixtures.header)).0
        let frame = Console.render(state)
        #expect(try #require(frame.line(containing: "web-2 ")).text.contains("✗ down"), "\(frame.text)")
        #expect(try #require(frame.line(containing: "traffic on")).text.contains("1 of 2 hosts, 1 down"))
    }

    // MARK: The fleet screen

    @Test func aFleetRowWhoseHostsDisagreeSaysOnHowManyTheColourIsLive() throws {
        let frame = Console.render(Self.state([Self.midDeploy]))
        let accounts = try #require(frame.line(containing: "accounts")).text
        #expect(accounts.contains("2/3 hosts    green ●"), "\(accounts)")
        #expect(accounts.contains("3f9a2c1b7d4e blue  ●"), "development, on one host, is unchanged: \(accounts)")
        let row = try #require(frame.line(containing: "accounts")).row
        let column = try #require(accounts.range(of: "2/3 hosts")).lowerBound.utf16Offset(in: accounts)
        #expect(frame[row, column].style.role == .inProgress)
    }

    @Test func searchingTheFleetForAHostNameFindsWhatThatHostRuns() throws {
        let state = Self.state([Self.midDeploy])
        #expect(state.visibleComponents.count > 1, "the fixture has other components")
        let searched = Fixtures.pressing([.character("/")] + Fixtures.typing("WEB-3") + [.enter], in: state)
        #expect(searched.visibleComponents.map(\.name) == ["accounts"])
        let nowhere = Fixtures.pressing([.character("/")] + Fixtures.typing("web-9") + [.enter], in: state)
        #expect(nowhere.visibleComponents.isEmpty)
    }

    @Test func aFleetRowWithAHostDownCountsOnlyTheHostsUp() throws {
        let accounts = try #require(Console.render(Self.state([Self.hostsMissing])).line(containing: "accounts")).text
        #expect(accounts.contains("2/4 hosts    green"), "\(accounts)")
    }

    @Test func aFleetRowWhoseHostsAgreeIsUnchanged() throws {
        let plain = try #require(Console.render(Self.state([])).line(containing: "accounts")).text
        let agreeing = try #require(Console.render(Self.state([Self.agreeing])).line(containing: "accounts")).text
        #expect(agreeing == plain)
        #expect(!agreeing.contains("hosts"))
    }

    // MARK: Narrow terminals

    @Test func at60x15HostsThatDoNotFitAreCountedNotDropped() throws {
        var six = Self.hostsMissing
        six.hosts += [Self.host("web-5", .up, live: "green"), Self.host("web-6", .up, live: "green")]
        let frame = Self.component([six], size: NarrowLayoutTests.narrow)
        #expect(frame.text.contains("traffic on green on 4 of 6 hosts"), "the total stays in view: \(frame.text)")
        #expect(frame.text.contains("web-3"), "\(frame.text)")
        #expect(frame.text.contains("+3 hosts hidden (a taller terminal shows them)"), "\(frame.text)")
        #expect(!frame.text.contains("web-4"), "\(frame.text)")
        for line in frame.lines {
            #expect(line.count <= NarrowLayoutTests.narrow.columns)
        }
    }

    @Test func at60ColumnsIdleVersionsAreLeftOutAndSaidSo() throws {
        let frame = Self.component([Self.midDeploy], size: TerminalSize(rows: 24, columns: 60))
        #expect(frame.text.contains("HOSTS (versions hidden: widen the terminal to see)"), "\(frame.text)")
        let web1 = try #require(frame.line(containing: "web-1 ")).text
        #expect(web1.hasSuffix("green \(Self.new)"), "the live version stays whole: \(web1)")
        let total = try #require(frame.line(containing: "traffic on")).text
        #expect(total.contains("traffic on green on 2 of 3 hosts"), "\(total)")
        #expect(total.count <= 60)
    }

    // MARK: From the workspace and the hosts' summaries

    @Test func panelsFollowThePlacementAndKeepHostsNeverSeen() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("host-panel-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = [
            "services/api/Makefile": "deploy:\n\t@true\n",
            "services/api/slipway.yml": "environments:\n  staging:\n    hosts: [web-2, web-1, web-3]\n    min_healthy: 2\n",
            "services/plain/Makefile": "deploy:\n\t@true\n",
        ]
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let now = Fixtures.now
        func agent(_ host: String, seen: Date, stopped: Date? = nil) -> HostRecord {
            HostRecord(host: host, pid: 1, pidStartTime: "1", version: "1", startedAt: now - 600, lastSeen: seen, stoppedAt: stopped)
        }
        func route(_ host: String, _ color: String) -> RouteRecord {
            RouteRecord(component: "api", environment: "staging", host: "0.0.0.0", port: 8080, liveColor: color, greenWeight: 0, hostName: host)
        }
        var slot = RichFixtures.slot("staging", "blue", Self.old)
        slot.component = "api"
        slot.host = "web-1"
        let summaries = HostSummary.summaries(
            hosts: [agent("web-1", seen: now - 2), agent("web-2", seen: now - 60)],
            routes: [route("web-1", "blue"), route("web-2", "blue")], slots: [slot], now: now)

        let panels = HostPanel.panels(in: try Workspace.load(at: folder), summaries: summaries)
        #expect(panels.map(\.component) == ["api"])
        let panel = try #require(panels.first)
        #expect(panel.environment == "staging" && panel.minHealthy == 2)
        #expect(panel.hosts.map(\.name) == ["web-2", "web-1", "web-3"], "in the placement's order")
        #expect(panel.hosts.map(\.state) == [.down, .up, nil])
        #expect(panel.hosts[1].versions == ["blue": Self.old])
        #expect(panel.hosts[0].liveColor == "blue")
        #expect(!panel.hostsAgree)
    }

    /// Panels need a placement or a deployment on two hosts: a workspace with neither skips the
    /// look-ups, one with either still gets its panels.
    @Test func aPanelNeedsAPlacementOrTwoHosts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("host-panel-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = [
            "services/api/Makefile": "deploy:\n\t@true\n",
            "services/api/slipway.yml": "environments:\n  staging:\n    hosts: [web-1, web-2]\n",
            "services/plain/Makefile": "deploy:\n\t@true\n",
        ]
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let placed = try Workspace.load(at: folder)
        #expect(HostPanel.placesHosts(in: placed))
        let panels = HostPanel.panels(in: placed, summaries: [])
        #expect(panels.map(\.component) == ["api"] && panels.first?.hosts.map(\.state) == [nil, nil], "placed, no host seen yet")

        try FileManager.default.removeItem(at: folder.appendingPathComponent("services/api/slipway.yml"))
        let unplaced = try Workspace.load(at: folder)
        #expect(!HostPanel.placesHosts(in: unplaced))
        var slot = RichFixtures.slot("staging", "blue", Self.old)
        slot.component = "plain"
        slot.host = "web-1"
        var other = slot
        other.host = "web-2"
        let twoHosts = HostSummary.summaries(hosts: [], routes: [], slots: [slot, other], now: Fixtures.now)
        #expect(HostPanel.panels(in: unplaced, summaries: twoHosts).map(\.component) == ["plain"])
        #expect(HostPanel.panels(in: unplaced, summaries: Array(twoHosts.prefix(1))).isEmpty)
    }
}
