// The router benchmark's driver; see bench/README.md ("Router"). bench/router.sh runs it.
//
//     slipway-router-bench ports N
//         prints N free loopback TCP ports, one a line
//     slipway-router-bench router --control SOCK [--metrics off]
//         the router process: RouterProcess.run, the same body as `slipway router --control SOCK`
//     slipway-router-bench setup --control SOCK --route NAME --blue PORT [--green PORT]
//         adds a route on a free port, points its colours at 127.0.0.1:PORT, all traffic to blue;
//         prints the route's port
//     slipway-router-bench switch --control SOCK --route NAME [--switches 100]
//         switch latency: a client loop sends requests back to back through the route while the
//         driver alternates setWeights(allGreen) / setWeights(allBlue) through the control socket
//     slipway-router-bench stop --control SOCK

import Foundation
import SlipwayRouter
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("slipway-router-bench: \(message)\n".utf8))
    exit(2)
}

struct Arguments {
    var command: String
    var options: [String: String] = [:]
    var positional: [String] = []

    init(_ raw: [String]) {
        guard let first = raw.first else { fail("usage: slipway-router-bench ports|router|setup|switch|stop ...") }
        command = first
        var rest = raw.dropFirst()[...]
        while let word = rest.popFirst() {
            if word.hasPrefix("--") {
                guard let value = rest.popFirst() else { fail("\(word) needs a value") }
                options[String(word.dropFirst(2))] = value
            } else {
                positional.append(word)
            }
        }
    }

    func string(_ name: String) -> String {
        guard let value = options[name] else { fail("--\(name) is required") }
        return value
    }

    func int(_ name: String, default value: Int? = nil) -> Int {
        if let text = options[name] {
            guard let number = Int(text) else { fail("--\(name) wants a number, got \(text)") }
            return number
        }
        guard let value else { fail("--\(name) is required") }
        return value
    }
}

// MARK: Loopback sockets

func loopbackAddress(port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
}

/// Binds N sockets to port 0 at once (so the ports differ), reads their ports, closes them.
func freePorts(_ count: Int) -> [Int] {
    var sockets: [Int32] = []
    var ports: [Int] = []
    for _ in 0..<count {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { fail("socket: \(errno)") }
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { fail("bind: \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        sockets.append(fd)
        ports.append(Int(UInt16(bigEndian: address.sin_port)))
    }
    sockets.forEach { close($0) }
    return ports
}

/// A blocking keep-alive HTTP/1.1 client for one connection: GET /, read the whole response.
final class HTTPProbe {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { fail("socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = loopbackAddress(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { fail("connect to 127.0.0.1:\(port): errno \(errno)") }
    }

    deinit { close(fd) }

    private static let request = Array("GET / HTTP/1.1\r\nHost: bench\r\n\r\n".utf8)

    /// - Returns: the status code and the body, or nil when the connection broke.
    func get() -> (status: Int, body: String)? {
        let written = Self.request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard written == Self.request.count else { return nil }
        var headerEnd: Int?
        while headerEnd == nil {
            headerEnd = Self.find([13, 10, 13, 10], in: buffer).map { $0 + 4 }
            if headerEnd == nil, !fill() { return nil }
        }
        let head = String(decoding: buffer[..<headerEnd!], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        var length = 0
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                length = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
            }
        }
        while buffer.count < headerEnd! + length {
            if !fill() { return nil }
        }
        let body = String(decoding: buffer[headerEnd!..<(headerEnd! + length)], as: UTF8.self)
        buffer.removeFirst(headerEnd! + length)
        return (status, body)
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}

// MARK: Switch latency

/// What the client loop and the driver share.
struct LoopState {
    /// The colour the current switch moves to, and when the switch call started / returned.
    var want: String?
    var switchStarted: ContinuousClock.Instant?
    var switchReturned: ContinuousClock.Instant?
    /// When the first response from `want` arrived.
    var firstNew: ContinuousClock.Instant?
    var lastColor = ""
    var responses = 0
    var errors = 0
    /// Responses from the old colour to requests sent after the switch call returned.
    var stale = 0
    var stop = false
    var broken = false
}

final class Loop: Sendable {
    let state = Mutex(LoopState())

    func run(port: Int) {
        let clock = ContinuousClock()
        var probe = HTTPProbe(port: port)
        while true {
            let sent = clock.now
            let answer = probe.get()
            let received = clock.now
            let stop = state.withLock { state in
                state.responses += 1
                guard let answer else {
                    state.errors += 1
                    return state.stop
                }
                if answer.status != 200 { state.errors += 1 }
                state.lastColor = answer.body
                if let want = state.want {
                    if answer.body == want {
                        if state.firstNew == nil { state.firstNew = received }
                    } else if let returned = state.switchReturned, sent > returned {
                        state.stale += 1
                    }
                }
                return state.stop
            }
            if stop { return }
            if answer == nil {
                // Count it and carry on over a fresh connection.
                probe = HTTPProbe(port: port)
            }
        }
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = Int((p * Double(sorted.count)).rounded(.up))
    return sorted[min(sorted.count, max(1, rank)) - 1]
}

func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1000 + Double(attoseconds) / 1e15
}

func format(_ value: Double) -> String {
    String(format: "%.3f", value)
}

func measureSwitches(client: RouterControlClient, route: String, switches: Int) async throws {
    guard let summary = try await client.routes().first(where: { $0.name == route }) else {
        fail("no route \(route)")
    }
    try await client.setWeights(route: route, .allBlue)
    let loop = Loop()
    let thread = Thread { loop.run(port: summary.port) }
    thread.start()
    let clock = ContinuousClock()
    var latencies: [Double] = []
    var callTimes: [Double] = []
    var current = "blue"
    for index in 0..<switches {
        // The loop is serving the current colour before each switch.
        let settled = clock.now
        while loop.state.withLock({ $0.lastColor }) != current {
            if clock.now - settled > .seconds(5) { fail("the client loop never saw \(current)") }
            try await Task.sleep(for: .microseconds(200))
        }
        // A random pause, so that switches land anywhere in a request's life.
        try await Task.sleep(for: .microseconds(Int.random(in: 5_000...25_000)))
        let next = current == "blue" ? "green" : "blue"
        let started = clock.now
        loop.state.withLock { state in
            state.want = next
            state.switchStarted = started
            state.switchReturned = nil
            state.firstNew = nil
        }
        try await client.setWeights(route: route, next == "green" ? .allGreen : .allBlue)
        let returned = clock.now
        loop.state.withLock { $0.switchReturned = returned }
        var firstNew: ContinuousClock.Instant?
        while firstNew == nil {
            firstNew = loop.state.withLock { $0.firstNew }
            if firstNew == nil {
                if clock.now - started > .seconds(10) { fail("switch \(index + 1): no \(next) response within 10 s") }
                try await Task.sleep(for: .microseconds(100))
            }
        }
        latencies.append(milliseconds(firstNew! - started))
        callTimes.append(milliseconds(returned - started))
        current = next
    }
    let (responses, errors, stale) = loop.state.withLock { state in
        state.stop = true
        return (state.responses, state.errors, state.stale)
    }
    // The loop ends after its next response.
    while !thread.isFinished { try await Task.sleep(for: .milliseconds(1)) }
    latencies.sort()
    callTimes.sort()
    print("switches \(switches)  requests \(responses)  errors \(errors)  stale \(stale)")
    print(
        "switch call to first response of the new colour (ms): p50 \(format(percentile(latencies, 0.5)))"
            + "  p99 \(format(percentile(latencies, 0.99)))  max \(format(latencies.last ?? .nan))")
    print(
        "setWeights call over the control socket alone (ms):  p50 \(format(percentile(callTimes, 0.5)))"
            + "  p99 \(format(percentile(callTimes, 0.99)))  max \(format(callTimes.last ?? .nan))")
}

// MARK: Main

let arguments = Arguments(Array(CommandLine.arguments.dropFirst()))
switch arguments.command {
case "ports":
    let count = Int(arguments.positional.first ?? "1") ?? 1
    for port in freePorts(count) { print(port) }
case "router":
    try await RouterProcess.run(
        controlSocket: arguments.string("control"),
        configuration: RouterConfiguration(recordsMetrics: arguments.options["metrics"] != "off"))
case "setup":
    let client = RouterControlClient(socketPath: arguments.string("control"))
    let route = arguments.string("route")
    let port = try await client.addRoute(name: route)
    try await client.setUpstream(route: route, color: .blue, host: "127.0.0.1", port: arguments.int("blue"))
    if arguments.options["green"] != nil {
        try await client.setUpstream(route: route, color: .green, host: "127.0.0.1", port: arguments.int("green"))
    }
    try await client.setWeights(route: route, .allBlue)
    print(port)
case "switch":
    let client = RouterControlClient(socketPath: arguments.string("control"))
    try await measureSwitches(
        client: client, route: arguments.string("route"), switches: arguments.int("switches", default: 100))
case "stop":
    try await RouterControlClient(socketPath: arguments.string("control")).shutdown()
default:
    fail("unknown command \(arguments.command)")
}
