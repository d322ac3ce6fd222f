import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The console driven under tmux on the live demo workspace, as an operator would drive it.
@Suite(.serialized) struct ConsoleEndToEndTests {
    /// `slipway ARGUMENTS` as a shell command line with the test's environment.
    private static func command(_ arguments: String, environment: [String: String] = [:]) -> String {
        let variables = ["SLIPWAY_ACTOR": "tester", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TERM": "tmux-256color"]
            .merging(environment) { _, new in new }
            .map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        return "env \(variables) '\(SlipwayProcess.binary.path)' \(arguments)"
    }

    /// The demo in the test's workspace, with a new commit of accounts ready to deploy.
    private static func demo(_ workspace: TemporaryWorkspace, _ slipway: SlipwayProcess) throws -> URL {
        let result = try slipway("demo", "--dir", "demo", "--no-console")
        try #require(result.status == 0, "\(result.stderr)")
        let demo = workspace.root.appendingPathComponent("demo")
        let server = demo.appendingPathComponent("services/accounts/server.py")
        try (try String(contentsOf: server, encoding: .utf8) + "\n# e2e change\n").write(to: server, atomically: true, encoding: .utf8)
        _ = try workspace.run("/usr/bin/env", ["git", "-C", demo.path, "commit", "-q", "-am", "accounts: e2e change"])
        return demo
    }

    private static func runCount(_ slipway: SlipwayProcess, kind: String) throws -> Int {
        let runs = try #require(try slipway.json("runs", "--workspace", "demo") as? [[String: Any]])
        return runs.filter { $0["kind"] as? String == kind }.count
    }

    @Test func anOperatorDeploysSwitchesAndRollsBackFromTheConsole() throws {
        let workspace = try TemporaryWorkspace()
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers(workspace: "demo")
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        _ = try Self.demo(workspace, slipway)
        let console = try TmuxConsole(
            Self.command("--workspace demo", environment: ["XDG_CONFIG_HOME": workspace.root.path]),
            directory: workspace.root)
        defer { console.stop() }
        #expect(console.waitFor { $0.contains("qis-data-management") && $0.contains("agent: up") })

        // Filter, then open the component. The filter matches live versions too, and a commit
        // hash can hold "acc" (f0e5accdadc2 did, and every component matched): "accou" is no hex.
        try console.press("/")
        try console.type("accou")
        try console.press("Enter")
        #expect(console.waitFor("1 of 4 components"))
        #expect(!console.screen().contains("qis-data-management"))
        try console.press("Enter")
        #expect(console.waitFor("SLOTS"))
        #expect(console.screen().contains("accounts in 3 environments"))

        // Deploy to staging: the confirmation says from -> to (colour and version) and what changes;
        // confirmed with y, its stages are followed in the runs screen's log pane.
        let staging = try #require((try slipway.json("status", "--workspace", "demo", "--env", "staging") as? [[String: Any]])?
            .first { $0["component"] as? String == "accounts" })
        let liveColor = try #require(staging["live_color"] as? String)
        let liveVersion = try #require(staging["live_version"] as? String)
        try console.press("j", "d")
        let idleColor = liveColor == "blue" ? "green" : "blue"
        #expect(console.waitFor(30) {
            $0.contains("deploy accounts to staging: \(liveColor) \(liveVersion) -> \(idleColor) ") && $0.contains("commit")
        }, "\(console.screen())")
        try console.press("y")
        #expect(console.waitFor("asked: deploy accounts to staging"))
        try console.press("2")
        #expect(console.waitFor(20) { $0.split(separator: "\n").contains { $0.contains("deploy") && $0.contains("running") } })
        try console.press("g", "Enter")
        #expect(console.waitFor("output of run"))
        #expect(console.waitFor("==> deploy:"))
        #expect(console.waitFor(60, { $0.contains("post-promotion window") }))
        let log = console.screen()
        let stages = ["==> build:", "==> deploy:", "==> health-check:", "==> switch-traffic:", "==> post-promotion:"]
        let positions = stages.compactMap { log.range(of: $0)?.lowerBound }
        #expect(positions.count == stages.count && positions == positions.sorted(), "\(log)")

        // Back to the component; switch staging's traffic by hand and see the colour change.
        try console.press("1", "Enter", "j")
        #expect(console.waitFor("SLOTS"))
        // Deploying the version now live is refused, and the console says why, not only its log.
        try console.press("d")
        #expect(console.waitFor(30) { $0.contains("deploy accounts to staging: ") && $0.contains("is the live version)?") },
                "\(console.screen())")
        try console.press("y")
        #expect(console.waitFor(30) { $0.contains("failed: deploy accounts to staging") && $0.contains("already live") },
                "\(console.screen())")
        let before = try #require(console.line(containing: "staging  "))
        let colorBefore = before.contains("staging      green") ? "green" : "blue"
        let colorAfter = colorBefore == "green" ? "blue" : "green"
        try console.press("s")
        #expect(console.waitFor("switch accounts in staging: \(colorBefore) "))
        try console.press("y")
        #expect(console.waitFor(30) { $0.contains("staging      \(colorAfter)") })

        // Roll back from the releases screen to the oldest release (the other two are in the slots).
        try console.press("r")
        #expect(console.waitFor("accounts in staging: 3 releases"))
        try console.press("G", "Enter")
        // The confirmation and the list's last row read from one screen: the list is read again
        // whenever the store changes, and a release tagged meanwhile (the deploy above) adds a row,
        // so a row read before the keys can be stale.
        var version = ""
        #expect(console.waitFor(30) { screen in
            let lines = screen.split(separator: "\n").map(String.init)
            let releases = lines.dropFirst(3).prefix { line in
                line.split(separator: " ").first.map { $0.count == 12 && $0.allSatisfy(\.isHexDigit) } ?? false
            }
            guard let prompt = lines.first(where: { $0.contains("roll back accounts in staging from ") }),
                  let target = prompt.components(separatedBy: " to ").last?.components(separatedBy: "?").first,
                  !target.isEmpty, releases.last?.hasPrefix(target) == true else { return false }
            version = target
            return true
        }, "\(console.screen())")
        try #require(!version.isEmpty)
        try console.press("y")
        #expect(console.waitFor(60) { screen in
            screen.split(separator: "\n").contains {
                $0.hasPrefix(version) && $0.trimmingCharacters(in: .whitespaces).hasSuffix("live")
            }
        }, "\(console.screen())")

        // The rollback's own process ends by itself, after the console showed the result.
        #expect(try eventually(60) {
            let runs = try #require(try slipway.json("runs", "--workspace", "demo") as? [[String: Any]])
            return !runs.contains { $0["state"] as? String == "running" }
        })

        // Command mode with completion, then help.
        try console.press(":")
        try console.type("dep")
        try console.press("Tab")
        try console.type("acc")
        try console.press("Tab")
        #expect(console.waitFor(":deploy accounts _"))
        try console.press("Escape", ":")
        try console.type("env production")
        try console.press("Enter")
        #expect(console.waitFor("actions from the fleet now apply to production"))
        try console.press("?")
        #expect(console.waitFor("keys of the releases screen"))
        #expect(console.screen().contains("roll back to this"))
        try console.press("?")

        // Too small, then big again.
        try console.resize(width: 40, height: 10)
        #expect(console.waitFor("terminal too small"))
        try console.resize(width: 120, height: 40)
        #expect(console.waitFor("VERSION"))

        try console.press("q")
        #expect(console.waitFor("EXIT=0"))
        #expect(console.waitFor("icanon"))
        let modes = try #require(console.line(containing: "icanon"))
        #expect(modes.split(separator: " ").sorted() == ["echo", "icanon"], "terminal not restored: \(modes)")
    }

    @Test func otherProcessesShowUpAndGuardsChangeNothing() throws {
        let workspace = try TemporaryWorkspace()
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers(workspace: "demo")
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        _ = try Self.demo(workspace, slipway)
        let switches = try Self.runCount(slipway, kind: "switch")

        // Read-only: the switch is not offered, and refused when pressed.
        let readOnly = try TmuxConsole(Self.command("--workspace demo console --read-only"), directory: workspace.root)
        defer { readOnly.stop() }
        #expect(readOnly.waitFor { $0.contains("accounts") && $0.contains("read-only") })
        #expect(!(readOnly.screen().split(separator: "\n").last ?? "").contains("switch"))
        try readOnly.press("Enter", "j", "s")
        #expect(readOnly.waitFor("read-only: switch is not allowed"))
        try readOnly.press(":")
        try readOnly.type("switch accounts staging")
        try readOnly.press("Enter")
        #expect(readOnly.waitFor("read-only: switch is not allowed"))
        try readOnly.press("q")
        #expect(readOnly.waitFor("EXIT=0"))
        #expect(try Self.runCount(slipway, kind: "switch") == switches)

        // Production without the typed name changes nothing; a deploy from another window shows up live.
        let console = try TmuxConsole(Self.command("--workspace demo"), directory: workspace.root)
        defer { console.stop() }
        #expect(console.waitFor { $0.contains("accounts") && $0.contains("agent: up") })
        try console.press(":")
        try console.type("switch accounts production")
        try console.press("Enter")
        #expect(console.waitFor("type 'production' and enter to confirm"))
        try console.type("prod")
        try console.press("Enter")
        #expect(console.waitFor("not confirmed (typed 'prod', not 'production'): nothing changed"))
        // Issue 16 item 3: the highlight stays on the run it is on (by id) when a newer run arrives
        // above it, and the header says so. The stages under the list name the highlighted run.
        try console.press("2", "j", "j")
        #expect(console.waitFor { $0.contains("STAGES of ") })
        let highlighted = try #require(console.line(containing: "STAGES of ")?.split(separator: " ").dropFirst(2).first)
        try console.openWindow(Self.command("deploy-app landing-page --env staging --workspace demo"), directory: workspace.root)
        #expect(console.waitFor(30) { screen in
            screen.split(separator: "\n").contains { $0.contains("landing-page") && $0.contains("running") }
        })
        #expect(console.waitFor(10) { $0.contains(" new above") }, "\(console.screen())")
        #expect(console.line(containing: "STAGES of ")?.contains("STAGES of \(highlighted)") == true,
                "the highlight moved off \(highlighted): \(console.screen())")
        #expect(console.waitFor(120, window: 1) { $0.contains("EXIT=") })
        #expect(console.waitFor(10) { screen in
            screen.split(separator: "\n").contains { $0.contains("landing-page") && $0.contains("failed") }
        })

        // Issue 16 item 1: with every service down (`agent stop` takes the slots with it), the fleet
        // keeps no healthy mark from before: each cell turns stale and the header says the agent is down.
        try console.press("1")
        #expect(console.waitFor { $0.contains("agent: up") && $0.contains("●") })
        #expect(try slipway("--workspace", "demo", "agent", "stop").status == 0)
        #expect(console.waitFor(30) { screen in
            let rows = screen.split(separator: "\n").filter { line in
                ["landing-page ", "qis-data-management ", "accounts ", "admin "].contains { line.hasPrefix($0) }
            }
            return screen.contains("agent: down") && rows.count == 4 && rows.allSatisfy { !$0.contains("●") }
        }, "\(console.screen())")
        try console.press("q")
        #expect(console.waitFor("EXIT=0"))
        #expect(try Self.runCount(slipway, kind: "switch") == switches)
    }

    @Test func theTerminalIsRestoredAfterAnEngineErrorAndOnSIGTERM() throws {
        let workspace = try TemporaryWorkspace(files: ["apps/web/Makefile": "test:\n\ttrue\n"])
        let failing = try TmuxConsole(
            Self.command("console", environment: ["SLIPWAY_TEST_CONSOLE_ENGINE_ERROR": "disk I/O error"]),
            directory: workspace.root)
        #expect(failing.waitFor("EXIT=1"))
        #expect(failing.screen().contains("slipway: error: cannot read the store: disk I/O error"))
        #expect(failing.waitFor("icanon"))
        #expect(try #require(failing.line(containing: "icanon")).split(separator: " ").sorted() == ["echo", "icanon"])

        let console = try TmuxConsole(Self.command("console"), directory: workspace.root)
        #expect(console.waitFor("web"))
        let shell = try #require(console.panePID)
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
        let pid = try #require(children.split(separator: " ").first.flatMap { Int32($0) })
        kill(pid, SIGTERM)
        #expect(console.waitFor("EXIT=143"))
        #expect(console.waitFor("icanon"))
        #expect(try #require(console.line(containing: "icanon")).split(separator: " ").sorted() == ["echo", "icanon"])
    }

    @Test func aBadThemeIsAFileLineColumnError() throws {
        let workspace = try TemporaryWorkspace(files: [
            "apps/web/Makefile": "test:\n\ttrue\n",
            "config/slipway/config.yml": "theme: broken\n",
            "config/slipway/themes/broken.yml": "title: cyan\nhealthy: not-a-colour\n",
        ])
        let console = try TmuxConsole(
            Self.command("console", environment: ["XDG_CONFIG_HOME": workspace.root.appendingPathComponent("config").path]),
            directory: workspace.root)
        #expect(console.waitFor("EXIT=2"))
        #expect(console.screen().contains("broken.yml:2:10: 'not-a-colour' is not a colour"))
    }

    /// `slipway demo` at the smallest size: whole environments left out and named, the filter and
    /// the way out in view, no zombie under the console, and a word on exit about what keeps running.
    @Test func theDemoAt60x15SaysWhatItHidesAndWhatKeepsRunning() throws {
        let workspace = try TemporaryWorkspace()
        let slipway = SlipwayProcess(workspace)
        defer {
            let leftovers = slipway.stopAgentAndListLeftovers(workspace: "demo")
            #expect(leftovers.isEmpty, "processes left behind: \(leftovers)")
        }
        _ = try Self.demo(workspace, slipway)
        let console = try TmuxConsole(Self.command("demo --dir demo"), width: 60, height: 15, directory: workspace.root)
        defer { console.stop() }
        // At 60 columns the header has no room for the agent's state: wait for the fleet's marks.
        #expect(console.waitFor { $0.contains("qis-data-management") && $0.contains("envs hidden") }, "\(console.screen())")
        let fleet = console.screen()
        #expect(fleet.contains("envs hidden: staging, production"), "\(fleet)")
        // The pane keeps the blanks ncurses drew at the end of a line.
        let lines = fleet.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(lines.contains { $0.hasSuffix("? help  q quit") }, "\(fleet)")
        #expect(!lines.contains { $0.hasSuffix(" gre") || $0.hasSuffix(" blu") }, "a colour cut at the edge: \(fleet)")

        try console.press("/")
        try console.type("acc")
        try console.press("Enter")
        #expect(console.waitFor("filter /acc"))
        try console.press("3")
        #expect(console.waitFor("PROBED"))
        let health = console.screen()
        let cutUnit = try Regex(#"\d\.\dm( |$)"#)
        #expect(!health.split(separator: "\n").contains { $0.firstMatch(of: cutUnit) != nil }, "a figure cut mid-unit: \(health)")
        #expect(health.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasSuffix("? help  q quit") }, "\(health)")
        #expect(health.contains("hidden: "), "the health screen says which columns it left out: \(health)")

        // Children the console's process started and that ended are reaped while it runs: a
        // zombie may show between a child's exit and its wait, but none stays past a heartbeat.
        let consolePID = try #require(Self.processes { $0.contains("\0demo\0--dir\0demo") }.first)
        let before = Set(Self.zombieChildren(of: consolePID))
        Thread.sleep(forTimeInterval: 6)
        let lasting = before.intersection(Self.zombieChildren(of: consolePID))
        #expect(lasting.isEmpty, "zombies under the console: \(lasting.map { Self.commandName(of: $0) })")

        try console.press("q")
        #expect(console.waitFor("EXIT=0"))
        #expect(console.screen().contains("keep running in the background (the agent, the router and"), "\(console.screen())")
        #expect(console.screen().contains("--workspace demo agent stop"))
    }

    /// The pids whose command line (NUL-separated) satisfies `matches`.
    private static func processes(_ matches: (String) -> Bool) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { pid in
            let commandLine = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            return matches("\0" + commandLine) && DetachedProcess.isRunning(pid)
        }
    }

    private static func commandName(of pid: Int32) -> String {
        ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "?").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func zombieChildren(of parent: Int32) -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && fields[0] == "Z" && Int32(fields[1]) == parent
        }
    }
}
