import Foundation
@testable import SlipwayCore
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A platform API that cannot be reached fails each attempt within seconds, so the retries are
/// really several, and says so in one line of Slipway's own (no NIO dump). Against real loopback
/// sockets: a closed port (refused at once) and a listener whose queue is full (never answers).
@Suite struct PlatformCallTests {
    /// A loopback socket bound to a port of its own; listening when asked, with a queue of one.
    final class LoopbackSocket {
        let descriptor: Int32
        let port: Int

        init(listening: Bool) throws {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.descriptor = descriptor
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
                }
            }
            try #require(bound && (!listening || listen(descriptor, 0) == 0))
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(descriptor) }
    }

    /// Connections that fill a listener's queue (it never accepts), so a further one gets no answer.
    static func fillQueue(of port: Int) -> [Int32] {
        (0..<3).map { _ in
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(port).bigEndian
            _ = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            return descriptor
        }
    }

    /// Neon's client for an API on loopback `port`, waiting on a virtual clock: only the attempts take time.
    static func neon(port: Int, log: (@Sendable (String) -> Void)?) -> NeonAPI {
        NeonAPI(
            environment: ["NEON_API_KEY": "neon-key", "NEON_API_HOST": "http://127.0.0.1:\(port)/api/v2"],
            clock: VirtualClock(), log: log)
    }

    /// Whether `line` is one line whose parentheses close, each after it opens.
    static func isOneBalancedLine(_ line: String) -> Bool {
        var depth = 0
        for character in line {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth < 0 || character.isNewline { return false }
        }
        return depth == 0
    }

    @Test func aRefusedConnectionIsRetriedSeveralTimesWithinSecondsAndSaidInOneLine() async throws {
        let closed = try LoopbackSocket(listening: false)
        let logged = Mutex<[String]>([])
        let api = Self.neon(port: closed.port) { line in logged.withLock { $0.append(line) } }
        let started = ContinuousClock.now
        do {
            _ = try await api.call("GET", "/projects/p1/branches", as: NeonAnswer.BranchesAnswer.self)
            Issue.record("a closed port answered")
        } catch {
            #expect(ContinuousClock.now - started < .seconds(20), "each attempt fails at once, not after the call's 30 s")
            guard case .platform(.stillFailing(.neon, "GET /projects/p1/branches", let attempts, 60, let last)) = error.reason else {
                Issue.record("expected Neon still failing, got \(error.message)")
                return
            }
            #expect(attempts >= 4, "60 s of backoff from 0.5 s up to 8 s: \(attempts) attempts")
            #expect(last == "Connection refused", "\(last)")
            #expect(error.message.hasPrefix("Neon GET /projects/p1/branches still failing after \(attempts) attempt(s) within 1m "))
            #expect(Self.isOneBalancedLine(error.message) && !error.message.contains("errno"), "\(error.message)")
        }
        let lines = logged.withLock { $0 }
        #expect(lines.count >= 3 && lines.allSatisfy { $0.hasPrefix("Neon GET /projects/p1/branches: Connection refused; retrying in ") },
                "\(lines)")
    }

    @Test func aHostThatNeverAnswersFailsTheAttemptWithinTheConnectTimeout() async throws {
        let listener = try LoopbackSocket(listening: true)
        let queued = Self.fillQueue(of: listener.port)
        defer { queued.forEach { close($0) } }
        var api = Self.neon(port: listener.port, log: nil)
        api.retryDeadline = 0
        let started = ContinuousClock.now
        do {
            _ = try await api.call("GET", "/projects/p1", as: NeonAnswer.BranchesAnswer.self)
            Issue.record("a listener that never accepts answered")
        } catch {
            #expect(ContinuousClock.now - started < .seconds(20), "the connect timeout, not the call's 30 s")
            #expect(error.message == "cannot read GET /projects/p1 from http://127.0.0.1:\(listener.port)/api/v2: "
                + "no connection within 5s; see the project's branches for what Neon did", "\(error.message)")
        }
    }
}
