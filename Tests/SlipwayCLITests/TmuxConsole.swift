import Foundation
import SlipwayCore
import SlipwayTestSupport

/// The console running in a tmux server of a test's own (`tmux -L NAME`), driven by keys and
/// read back as the text on screen.
final class TmuxConsole {
    let server = "slipway-\(UUID().uuidString.prefix(8))"

    /// Starts `command` (a shell command line) in a detached session of `width` x `height`.
    /// After the console exits the pane prints `EXIT=<code>` and the terminal's modes, and stays.
    init(_ command: String, width: Int = 120, height: Int = 40, directory: URL) throws {
        try ExternalTool.require("tmux")
        let wrapped = "\(command); echo EXIT=$?; stty -a | tr ' ;' '\\n\\n' | grep -x -e '-*echo' -e '-*icanon' | tr '\\n' ' '; echo; sleep 120"
        try tmux(["new-session", "-d", "-s", "main", "-x", "\(width)", "-y", "\(height)", "-c", directory.path, wrapped])
    }

    deinit {
        stop()
    }

    /// Kills the server and waits (a few seconds at most) until it is gone.
    func stop() {
        _ = try? tmux(["kill-server"])
        for _ in 0..<50 where !serverProcesses().isEmpty {
            usleep(100_000)
        }
    }

    /// The live processes of this server (found by the `-L NAME` in their command lines).
    private func serverProcesses() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { pid in
            let commandLine = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? ""
            return commandLine.contains("\0-L\0\(server)\0") && DetachedProcess.isRunning(pid)
        }
    }

    /// Runs tmux on this server and answers its output. Spawned with default signal handling
    /// and reaped by hand, its output in a file: Foundation's Process would wait for the
    /// descriptors a forked tmux server keeps, and a test runner's ignored signals would stop
    /// tmux from working.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("\(server)-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        let pid = try DetachedProcess.spawn(
            ["/usr/bin/env", "tmux", "-L", server] + arguments, environment: ProcessInfo.processInfo.environment,
            logPath: output.path)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }

    /// Presses tmux key names (`Enter`, `Escape`, `Tab`) or single characters, in order.
    func press(_ keys: String...) throws {
        for key in keys { try tmux(["send-keys", "-t", "main:0", key]) }
    }

    /// Types `text` literally.
    func type(_ text: String) throws {
        try tmux(["send-keys", "-t", "main:0", "-l", text])
    }

    /// The text on screen of window `window`.
    func screen(window: Int = 0) -> String {
        (try? tmux(["capture-pane", "-p", "-J", "-t", "main:\(window)"])) ?? ""
    }

    /// Waits (generously) until the screen satisfies `condition`; answers whether it did.
    func waitFor(_ seconds: Double = 30, window: Int = 0, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition(screen(window: window)) { return true }
            usleep(100_000)
        }
        return condition(screen(window: window))
    }

    func waitFor(_ text: String, _ seconds: Double = 30, window: Int = 0) -> Bool {
        waitFor(seconds, window: window) { $0.contains(text) }
    }

    func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", "main:0", "-x", "\(width)", "-y", "\(height)"])
    }

    /// Runs `command` in a second window.
    func openWindow(_ command: String, directory: URL) throws {
        try tmux(["new-window", "-d", "-t", "main:1", "-c", directory.path, "\(command); echo EXIT=$?; sleep 120"])
    }

    /// The line of the screen containing `text`.
    func line(containing text: String, window: Int = 0) -> String? {
        screen(window: window).split(separator: "\n").first { $0.contains(text) }.map(String.init)
    }

    /// The pid of the process in window 0's pane (the shell running the console command).
    var panePID: Int32? {
        (try? tmux(["display-message", "-p", "-t", "main:0", "#{pane_pid}"])).flatMap {
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
