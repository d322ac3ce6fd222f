import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// The agent's socket folder cannot be taken over (issue: another user who made it first could
/// listen in the agent's place): Slipway makes it 0700 itself, refuses one that is not a private
/// directory of this user, and talks only to a listener of this user.
@Suite(.serialized) struct SocketFolderTests {
    func runtimeFolder(_ workspace: TemporaryWorkspace) throws -> URL {
        let folder = workspace.root.appendingPathComponent("runtime")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func theFolderIsCreatedPrivate() throws {
        let workspace = try FakeCloudWorkspace.create()
        let runtime = try runtimeFolder(workspace)
        var slipway = SlipwayProcess(workspace)
        slipway.environment["XDG_RUNTIME_DIR"] = runtime.path
        defer { _ = slipway.stopAgentAndListLeftovers() }
        #expect(try slipway("agent", "start").status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: runtime.appendingPathComponent("slipway").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
    }

    @Test(arguments: ["open to others", "a link", "another user's"])
    func aFolderThatIsNotPrivateIsRefused(kind: String) throws {
        let workspace = try FakeCloudWorkspace.create()
        let runtime = try runtimeFolder(workspace)
        let folder = runtime.appendingPathComponent("slipway")
        switch kind {
        case "open to others":
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o777])
            chmod(folder.path, 0o777)
        case "a link":
            let elsewhere = runtime.appendingPathComponent("elsewhere")
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            try FileManager.default.createSymbolicLink(at: folder, withDestinationURL: elsewhere)
        default:
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            guard getuid() == 0 else { return }  // only root can give a folder to someone else
            #expect(chown(folder.path, 65534, 65534) == 0)
        }
        var slipway = SlipwayProcess(workspace)
        slipway.environment["XDG_RUNTIME_DIR"] = runtime.path
        let result = try slipway("agent", "start")
        #expect(result.status == 1)
        #expect(result.stderr.contains("refusing the socket folder \(folder.path)"), "\(result.stderr)")
        #expect(!result.stderr.contains("\n\n"))
    }

    /// A listener of another user in the agent's place gets no request.
    @Test func aListenerOfAnotherUserIsNotTalkedTo() async throws {
        guard getuid() == 0 else { return }  // needs a second user: root drops to nobody
        let workspace = try FakeCloudWorkspace.create()
        let runtime = try runtimeFolder(workspace)
        let socket = AgentClient.socketPath(for: workspace.root, environment: ["XDG_RUNTIME_DIR": runtime.path])
        try PrivateDirectory.prepare((socket as NSString).deletingLastPathComponent)
        // Bound by root in the private folder, then listening as nobody: its peer credentials are
        // nobody's. It says it listens with a file in /tmp, where nobody may write.
        let listening = "/tmp/slipway-impostor-\(UUID().uuidString)"
        let impostor = Process()
        impostor.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        impostor.arguments = ["python3", "-c", """
            import os, socket, sys, time
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(sys.argv[1])
            os.setgid(65534); os.setuid(65534)
            s.listen(5)
            open(sys.argv[2], "w").close()
            s.settimeout(1)
            deadline = time.time() + 20
            while time.time() < deadline:
                try:
                    c, _ = s.accept()
                    c.sendall(b'{"ok":true,"pid":1}\\n')
                    c.close()
                except socket.timeout:
                    pass
            """, socket, listening]
        try impostor.run()
        defer {
            impostor.terminate()
            impostor.waitUntilExit()
            try? FileManager.default.removeItem(atPath: listening)
        }
        #expect(eventually(10) { FileManager.default.fileExists(atPath: listening) }, "the impostor listens")
        let client = AgentClient(workspace: workspace.root, statePath: workspace.statePath, environment: ["XDG_RUNTIME_DIR": runtime.path])
        let refusal = await #expect(throws: SlipwayError.self) { try await client.send(.status, timeout: 5) }
        #expect(refusal?.message.contains("runs as uid 65534, not as you") == true, "\(refusal?.message ?? "no error")")
    }
}
