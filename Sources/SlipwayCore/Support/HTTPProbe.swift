import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One health probe: `GET path` on a loopback port, healthy on a 2xx answer within the timeout,
/// as kamal-proxy's health check does.
public struct HTTPProbe: Sendable {
    public struct Response: Sendable, Equatable {
        public var status: Int
        public var body: String
    }

    public var host = "127.0.0.1"
    public var port: Int
    public var path: String
    /// Seconds the whole probe may take.
    public var timeout: Double
    /// Characters of the body kept: a health answer needs few, a metrics page more.
    public var bodyLimit = 200

    public init(port: Int, path: String, timeout: Double) {
        self.port = port
        self.path = path
        self.timeout = timeout
    }

    /// The answer, or an error saying what went wrong (refused, timed out, not HTTP).
    public func perform() -> Result<Response, SlipwayError> {
        let deadline = Date().addingTimeInterval(timeout)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { return .failure(.failure("socket: \(String(cString: strerror(errno)))")) }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &address.sin_addr)
        let started = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if started != 0 && errno != EINPROGRESS {
            return .failure(.failure("GET \(path) on port \(port): \(String(cString: strerror(errno)))"))
        }
        guard wait(for: Int16(POLLOUT), on: descriptor, until: deadline) else {
            return .failure(.failure("GET \(path) on port \(port): no connection within \(timeout)s"))
        }
        var socketError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &socketError, &length)
        guard socketError == 0 else {
            return .failure(.failure("GET \(path) on port \(port): \(String(cString: strerror(socketError)))"))
        }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: slipway-health\r\nConnection: close\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while received.count < 64 << 10 {
            guard wait(for: Int16(POLLIN), on: descriptor, until: deadline) else {
                return .failure(.failure("GET \(path) on port \(port): no answer within \(timeout)s"))
            }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count < 0 && (errno == EAGAIN || errno == EINTR) { continue }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        let text = String(decoding: received, as: UTF8.self)
        let statusLine = text.split(separator: "\r\n", maxSplits: 1).first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            return .failure(.failure("GET \(path) on port \(port): not an HTTP answer"))
        }
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return .success(Response(status: status, body: String(body.prefix(bodyLimit))))
    }

    private func wait(for events: Int16, on descriptor: Int32, until deadline: Date) -> Bool {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return false }
            var poller = pollfd(fd: descriptor, events: events, revents: 0)
            let ready = poll(&poller, 1, Int32(max(1, remaining * 1000)))
            if ready < 0 && errno == EINTR { continue }
            return ready > 0
        }
    }
}
