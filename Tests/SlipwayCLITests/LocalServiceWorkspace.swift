import Foundation
import SlipwayCore
import SlipwayTestSupport

/// A git workspace with one `local` service: a small python3 HTTP server that answers with its
/// version and colour, and misbehaves on demand through marker files committed with a version:
/// `UNHEALTHY` (its /health answers 503), `HANG` (its /health never answers), `EXIT` (it exits at once).
/// `/slow` answers after 6 seconds, to have a request in flight across a switch.
enum LocalServiceWorkspace {
    static let server = """
        import http.server, os, sys, time
        if os.path.exists("EXIT"):
            sys.exit(3)
        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def do_GET(self):
                if self.path == "/health" and os.path.exists("HANG"):
                    time.sleep(30)
                if self.path == "/health" and os.path.exists("UNHEALTHY"):
                    self.reply(503, "unhealthy on purpose")
                    return
                if self.path == "/slow":
                    time.sleep(6)
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

    static func create(settings: String = "", function: String = #function) throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace(files: [
            "services/api/server.py": server,
            "services/api/slipway.yml": """
                target: local
                run: exec python3 server.py
                post_promotion: 1s
                health:
                  interval: 100ms
                  timeout: 1s
                  attempts: 50
                \(settings)
                """,
        ], function: function)
        try workspace.commitAll("first")
        return workspace
    }

    /// Commits a new version of the service, with the marker files given.
    static func newVersion(_ workspace: TemporaryWorkspace, markers: [String] = [], note: String) throws {
        for marker in ["UNHEALTHY", "HANG", "EXIT"] {
            try? FileManager.default.removeItem(at: workspace.root.appendingPathComponent("services/api/\(marker)"))
        }
        var files = ["services/api/NOTE": note]
        for marker in markers { files["services/api/\(marker)"] = "on purpose\n" }
        try workspace.write(files)
        try workspace.commitAll(note)
    }
}

/// A GET on loopback through the engine's own probe: status and body, or nil when nothing answered.
/// It blocks its thread (the tests' load generators and `eventually` loops are threads).
func httpGet(_ port: Int, _ path: String = "/", timeout: Double = 5, host: String = "127.0.0.1") -> HTTPProbe.Response? {
    var probe = HTTPProbe(port: port, path: path, timeout: timeout)
    probe.host = host
    // Waits on NIO's future, not on a task: synchronous tests run on the cooperative pool, and
    // two of them each holding a thread while their task waits for one would stall a 2-core run.
    return try? probe.answer().wait().get()
}
