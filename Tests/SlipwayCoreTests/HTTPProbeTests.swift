import Foundation
@testable import SlipwayCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A loopback TCP listener for one probe: it answers the first connection with `reply`, or,
/// with no reply, never accepts (the kernel completes the connection; no answer ever comes).
final class CannedHTTPServer: @unchecked Sendable {
    let port: Int
    private let descriptor: Int32

    init(reply: String?) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound, listen(descriptor, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
        port = Int(UInt16(bigEndian: address.sin_port))
        guard let reply else { return }
        let listener = descriptor
        Thread.detachNewThread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = recv(connection, &buffer, buffer.count, 0)
            _ = Array(reply.utf8).withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            close(connection)
        }
    }

    deinit { close(descriptor) }
}

/// The health probe on SwiftNIO: what it answers for each way a slot can (not) answer.
@Suite struct HTTPProbeTests {
    @Test func anAnswerGivesItsStatusAndBody() async throws {
        let server = try CannedHTTPServer(reply: "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 8\r\n\r\nstarting")
        let answer = await HTTPProbe(port: server.port, path: "/health", timeout: 5).perform()
        #expect(answer == .success(HTTPProbe.Response(status: 503, body: "starting")))
    }

    @Test func aBodyEndedByTheConnectionIsReadWholeAndCut() async throws {
        let server = try CannedHTTPServer(reply: "HTTP/1.0 200 OK\r\n\r\n" + String(repeating: "x", count: 300))
        var probe = HTTPProbe(port: server.port, path: "/", timeout: 5)
        probe.bodyLimit = 250
        let answer = await probe.perform()
        #expect(answer == .success(HTTPProbe.Response(status: 200, body: String(repeating: "x", count: 250))))
    }

    @Test func aSlotThatNeverAnswersTimesOut() async throws {
        let server = try CannedHTTPServer(reply: nil)
        let answer = await HTTPProbe(port: server.port, path: "/health", timeout: 0.3).perform()
        #expect(answer == .failure(.failure("GET /health on port \(server.port): no answer within 0.3s")))
    }

    @Test func aClosedPortIsRefused() async throws {
        let port = try CannedHTTPServer(reply: nil).port
        let answer = await HTTPProbe(port: port, path: "/health", timeout: 5).perform()
        #expect(answer == .failure(.failure("GET /health on port \(port): Connection refused")))
    }

    @Test func somethingElseThanHTTPIsSaidToBe() async throws {
        let server = try CannedHTTPServer(reply: "SSH-2.0-OpenSSH_9.2\r\n\r\n")
        let answer = await HTTPProbe(port: server.port, path: "/health", timeout: 5).perform()
        #expect(answer == .failure(.failure("GET /health on port \(server.port): not an HTTP answer")))
    }

    @Test func aURLIsProbedAtItsPathWithTheHealthPathAfter() async throws {
        let server = try CannedHTTPServer(reply: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        let probe = try #require(HTTPProbe(url: "http://127.0.0.1:\(server.port)/site/", path: "/health", timeout: 5))
        #expect(probe.path == "/site/health" && probe.port == server.port && !probe.tls)
        #expect(await probe.perform() == .success(HTTPProbe.Response(status: 200, body: "ok")))
        #expect(HTTPProbe(url: "ftp://example.com", path: "/health", timeout: 5) == nil)
        #expect(HTTPProbe(url: "example.com", path: "/health", timeout: 5) == nil)
    }

    /// An https URL speaks TLS: a server answering in plain HTTP is no answer, named by its URL.
    @Test func anHTTPSURLNeedsTLS() async throws {
        let server = try CannedHTTPServer(reply: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        let probe = try #require(HTTPProbe(url: "https://127.0.0.1:\(server.port)", path: "/health", timeout: 5))
        #expect(probe.tls && probe.host == "127.0.0.1")
        let answer = await probe.perform()
        guard case .failure(let error) = answer else {
            Issue.record("a plain HTTP answer passed for TLS: \(answer)")
            return
        }
        #expect(error.message.hasPrefix("GET https://127.0.0.1:\(server.port)/health: "), "\(error.message)")
    }
}
