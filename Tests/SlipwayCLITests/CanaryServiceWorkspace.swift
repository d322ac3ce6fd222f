import Foundation
import SlipwayCore
import SlipwayTestSupport

/// A git workspace with one `local` service on the canary strategy: a python3 server whose
/// release misbehaves as files committed with it say: `FAIL_EVERY` (N: every Nth request
/// answers 500) and `DELAY_MS` (every request but /health waits that long).
enum CanaryServiceWorkspace {
    static let server = """
        import http.server, os, threading, time
        def number(name):
            return int(open(name).read()) if os.path.exists(name) else 0
        fail_every, delay_ms = number("FAIL_EVERY"), number("DELAY_MS")
        lock, served = threading.Lock(), [0]
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_GET(self):
                if self.path == "/health":
                    self.reply(200, "ok")
                    return
                with lock:
                    served[0] += 1
                    count = served[0]
                if delay_ms:
                    time.sleep(delay_ms / 1000)
                if fail_every and count % fail_every == 0:
                    self.reply(500, "failing on purpose")
                    return
                self.reply(200, "api %s %s" % (os.environ["SLIPWAY_VERSION"], os.environ["SLIPWAY_COLOR"]))
            def reply(self, status, text):
                body = (text + "\\n").encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args):
                pass
        http.server.ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler).serve_forever()

        """

    /// A workspace whose first version (with `files`) is committed; `canary` is the `canary:` block's body.
    static func create(canary: String, monitoringPeriod: String, files: [String: String] = [:], function: String = #function) throws -> TemporaryWorkspace {
        var all = [
            "services/api/server.py": server,
            "services/api/slipway.yml": """
                target: local
                run: exec python3 server.py
                post_promotion: 1s
                strategy: canary
                monitoring_period: \(monitoringPeriod)
                health:
                  interval: 100ms
                  timeout: 1s
                  attempts: 50
                canary:
                \(canary)
                """,
        ]
        for (name, text) in files { all["services/api/\(name)"] = text }
        let workspace = try TemporaryWorkspace(files: all, function: function)
        try workspace.commitAll("first")
        return workspace
    }

    /// Commits a new version whose release has exactly the marker `files` given (by name, without folder).
    static func newVersion(_ workspace: TemporaryWorkspace, files: [String: String], note: String) throws {
        for marker in ["FAIL_EVERY", "DELAY_MS"] {
            try? FileManager.default.removeItem(at: workspace.root.appendingPathComponent("services/api/\(marker)"))
        }
        var all = ["services/api/NOTE": note]
        for (name, text) in files { all["services/api/\(name)"] = text }
        try workspace.write(all)
        try workspace.commitAll(note)
    }
}

/// Clients sending GETs to a port one after another, each on its own thread, until stopped.
final class SteadyTraffic: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var answers: [Int: Int] = [:]
    private var threads: [Thread] = []
    private let finished = DispatchGroup()

    init(port: Int, clients: Int) {
        for _ in 0..<clients {
            finished.enter()
            let thread = Thread { [self] in
                // Bounded: at most ten minutes of requests, whatever the test does.
                let deadline = Date().addingTimeInterval(600)
                while !isStopped, Date() < deadline {
                    let status = httpGet(port, "/", timeout: 5)?.status ?? 0
                    lock.withLock { answers[status, default: 0] += 1 }
                }
                finished.leave()
            }
            threads.append(thread)
            thread.start()
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    /// Stops the clients, waits for them, and returns how many answers of each status came back.
    @discardableResult
    func stop() -> [Int: Int] {
        lock.withLock { stopped = true }
        _ = finished.wait(timeout: .now() + 30)
        return lock.withLock { answers }
    }
}
