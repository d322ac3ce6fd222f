import Foundation
import Testing
@testable import SlipwayConsole
@testable import SlipwayCore

/// The console started by `slipway demo` leaves no zombie under it and says on exit what keeps
/// running and how to stop it. Serialized: reaping its own child, the second test would reap
/// the first one's zombie too.
@Suite(.serialized) struct ChildProcessesTests {
    /// The state letter of `pid` in /proc (`Z` for a zombie), nil once it is gone.
    static func state(of pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].first
    }

    static func eventually(_ seconds: Double = 30, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("children-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("apps"), withIntermediateDirectories: true)
        return folder
    }

    @Test func theWatcherReapsAChildThatExited() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let engine = try await Engine.open(
            workspace: folder, state: folder.appendingPathComponent(".slipway/state.db"), output: { _ in })
        let pid = try DetachedProcess.spawn(["/bin/true"], environment: [:])
        #expect(await Self.eventually { Self.state(of: pid) == "Z" }, "an exited child nobody waited for is a zombie")
        let mailbox = try ConsoleMailbox()
        let watcher = Task { await StoreWatcher(engine: engine, readOnly: true, mailbox: mailbox).watch() }
        defer { watcher.cancel() }
        var loaded = false
        _ = await Self.eventually {
            loaded = loaded || mailbox.takeMessages().contains { if case .loaded = $0 { true } else { false } }
            return loaded
        }
        #expect(loaded)
        #expect(Self.state(of: pid) == nil, "reaped by the watcher's first pass")
    }

    @Test func whatKeepsRunningIsCountedAndNamedWithTheWayToStopIt() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("state.db"), actor: "ana")
        #expect(try BackgroundProcesses.running(in: store).farewell(stopCommand: "slipway agent stop") == nil, "nothing runs")
        let pid = try DetachedProcess.spawn(["/bin/sleep", "60"], environment: [:])
        defer {
            DetachedProcess.stop(pid: pid, grace: 1)
            DetachedProcess.reapExited()
        }
        try store.save(SlotRecord(
            component: "accounts", environment: "staging", color: "blue", version: "v1", port: 1, pid: pid,
            pidStartTime: ProcessIdentity.startTime(of: pid) ?? "", host: ProcessIdentity.hostName, directory: folder.path,
            command: "[]", variables: "{}", logPath: "/dev/null", state: .running, restarts: 0, startedAt: Date()))
        let running = try BackgroundProcesses.running(in: store)
        #expect(running == BackgroundProcesses(agent: false, router: false, slots: 1, processes: 1))
        #expect(running.farewell(stopCommand: "slipway --workspace demo agent stop")
                == "1 process keeps running in the background (1 slot): stop them with 'slipway --workspace demo agent stop'")
        let demo = BackgroundProcesses(agent: true, router: true, slots: 9, processes: 20)
        #expect(demo.farewell(stopCommand: "slipway agent stop")
                == "20 processes keep running in the background (the agent, the router and 9 slots): stop them with 'slipway agent stop'")
    }

    @Test func theCloudDemosStandInsAreCountedAndNamedToo() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("state.db"), actor: "ana")
        let pid = try DetachedProcess.spawn(["/bin/sleep", "60"], environment: [:])
        defer {
            DetachedProcess.stop(pid: pid, grace: 1)
            DetachedProcess.reapExited()
        }
        let identity = ProcessIdentity(host: ProcessIdentity.hostName, pid: pid, startTime: ProcessIdentity.startTime(of: pid) ?? "")
        try store.save(ProcessRecord(role: ProcessRecord.standInRole("moto"), identity: identity, socket: ""))
        let running = try BackgroundProcesses.running(in: store)
        #expect(running == BackgroundProcesses(agent: false, router: false, slots: 0, standIns: ["moto"], processes: 1))
        #expect(running.farewell(stopCommand: "slipway agent stop")
                == "1 process keeps running in the background (the platform stand-in (moto)): stop them with 'slipway agent stop'")
        let demo = BackgroundProcesses(agent: true, router: true, slots: 15, standIns: ["cloudflare", "moto"], processes: 34)
        #expect(demo.farewell(stopCommand: "slipway agent stop") == "34 processes keep running in the background (the agent, the router, "
            + "15 slots and the platform stand-ins (cloudflare, moto)): stop them with 'slipway agent stop'")
    }
}
