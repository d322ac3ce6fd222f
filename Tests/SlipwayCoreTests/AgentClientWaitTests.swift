import Foundation
@testable import SlipwayCore
import Testing

/// Waiting for an agent to answer is on an injected clock: in virtual time, 15 s of waiting for
/// one that never answers take no real time, and one that answers ends the wait at once.
@Suite struct AgentClientWaitTests {
    func client() throws -> (AgentClient, URL) {
        let folder = URL(fileURLWithPath: "/tmp/slipway-wait-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let client = AgentClient(
            workspace: folder, statePath: folder.appendingPathComponent("state.db"), environment: ["XDG_RUNTIME_DIR": folder.path])
        return (client, folder)
    }

    @Test func waitingForAnAgentThatNeverAnswersEndsOnTheClock() async throws {
        let (client, folder) = try client()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = VirtualClock()
        let began = clock.now()
        #expect(try await client.answers(within: 15, pause: 0.1, clock: clock) == false)
        #expect(clock.now().timeIntervalSince(began) >= 15)
    }

    @Test func anAgentThatAnswersEndsTheWaitAtOnce() async throws {
        let (client, folder) = try client()
        defer { try? FileManager.default.removeItem(at: folder) }
        let listener = try UnixSocket.listen(at: client.socketPath)
        defer { close(listener) }
        Thread.detachNewThread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            _ = try? UnixSocket.readLine(from: connection, timeout: 20)
            try? UnixSocket.write(line: #"{"pong":{"pid":1,"socket":"stand-in"}}"#, to: connection)
            close(connection)
        }
        let clock = VirtualClock()
        let began = clock.now()
        #expect(try await client.answers(within: 15, pause: 0.1, clock: clock))
        #expect(clock.now() == began)
    }
}
