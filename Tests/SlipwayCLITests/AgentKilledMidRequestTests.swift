import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// A command whose agent is killed while it writes its request ends with a one-line error and
/// exit code 1, never by SIGPIPE (seen: a deploy that died of signal 13 without a word).
@Suite(.serialized) struct AgentKilledMidRequestTests {
    @Test func aDeployWhoseAgentIsKilledMidRequestSaysSoInOneLine() throws {
        let workspace = try FakeCloudWorkspace.create()
        // Short: the socket path must stay under the kernel's 108 bytes.
        let runtime = URL(fileURLWithPath: "/tmp/sw-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: runtime, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: runtime) }
        var slipway = SlipwayProcess(workspace)
        slipway.environment["XDG_RUNTIME_DIR"] = runtime.path
        #expect(try slipway("status").status == 0, "the store exists before the stand-in agent listens")
        let socket = AgentClient.socketPath(for: workspace.root, environment: ["XDG_RUNTIME_DIR": runtime.path])
        try PrivateDirectory.prepare((socket as NSString).deletingLastPathComponent)
        // A stand-in agent: it answers pings, and kills itself once a request has begun to arrive.
        let listening = workspace.root.appendingPathComponent("listening").path
        let agent = Process()
        agent.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        agent.arguments = ["python3", "-c", """
            import json, os, signal, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(sys.argv[1])
            s.listen(5)
            open(sys.argv[2], "w").close()
            s.settimeout(60)
            while True:
                c, _ = s.accept()
                first = c.recv(65536)
                if b'"ping"' in first:
                    c.sendall((json.dumps({"pong": {"pid": os.getpid(), "socket": sys.argv[1]}}) + "\\n").encode())
                    c.close()
                else:
                    os.kill(os.getpid(), signal.SIGKILL)
            """, socket, listening]
        try agent.run()
        defer {
            if agent.isRunning { agent.terminate() }
            agent.waitUntilExit()
            _ = slipway.stopAgentAndListLeftovers()
        }
        #expect(eventually(10) { FileManager.default.fileExists(atPath: listening) }, "the stand-in agent listens")
        // The request carries the caller's environment: made larger than the socket's buffers, the
        // write is still going on when the agent dies.
        var large: [String: String] = [:]
        for index in 0..<6 { large["SLIPWAY_TEST_LARGE_\(index)"] = String(repeating: "x", count: 100_000) }
        let deployed = try slipway.run(["deploy-app", "web", "--env", "staging"], environment: large)
        #expect(deployed.status == 1, "exit \(deployed.status) (13 is SIGPIPE): \(deployed.stderr)")
        let lines = deployed.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(deployed.stderr)")
        #expect(lines.first?.hasPrefix("slipway: error: the agent on \(socket) did not take the request") == true, "\(deployed.stderr)")
        #expect(lines.first?.hasSuffix("was it stopped or killed?") == true, "\(deployed.stderr)")
        agent.waitUntilExit()
        #expect(agent.terminationReason == .uncaughtSignal, "the stand-in agent was killed mid-request")
    }
}
