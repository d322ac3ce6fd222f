import Foundation
import SlipwayCore
import Testing

/// Several hosts on one machine, for the tests of a fleet: each host is a network namespace of
/// its own (loopback up, its own ports), joined by a veth pair to a bridge in the root namespace,
/// with an address in a /24 of the test range 10.231.0.0/16 that no other live lab uses. The
/// test process reaches every host at its address; the hosts share the filesystem, so a
/// PostgreSQL cluster's unix socket and every checkout are theirs too.
///
/// `create` needs root and iproute2's `ip`; where namespaces cannot be created it skips the test
/// (`Test.cancel`) with one line saying why. `tearDown` (also run at deinit) kills every process
/// left in the namespaces and deletes the namespaces, veths and bridge; a lab whose test process
/// died is swept by the next `create`.
public final class HostLab: @unchecked Sendable {
    /// One host of the lab.
    public struct Host: Sendable, Hashable, CustomStringConvertible {
        /// The host's name in the store (`SLIPWAY_HOST` of everything run on it).
        public let name: String
        public let namespace: String
        /// Its IPv4 address on the bridge.
        public let address: String

        public var description: String { "\(name) (\(namespace), \(address))" }
    }

    public let hosts: [Host]
    public let bridge: String
    /// The root namespace's address on the bridge.
    public let bridgeAddress: String
    let ip: String
    private let lock = NSLock()
    private var children: [pid_t] = []
    private var tornDown = false

    static let namespacePrefix = "slw-"
    static let bridgePrefix = "slwb-"
    static let vethPrefix = "slwv-"
    static let lockPath = "/tmp/slipway-hostlab.lock"

    private init(hosts: [Host], bridge: String, bridgeAddress: String, ip: String) {
        self.hosts = hosts
        self.bridge = bridge
        self.bridgeAddress = bridgeAddress
        self.ip = ip
    }

    deinit { tearDown() }

    /// A lab of one host per name, addressed 10.231.X.2, .3 ... in the order given. Skips the
    /// running test when this machine cannot make network namespaces.
    public static func create(hosts names: [String]) throws -> HostLab {
        guard geteuid() == 0 else { try skip(because: "the tests do not run as root") }
        guard let ip = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first(where: FileManager.default.isExecutableFile) ?? ExternalTool.path("ip")
        else { try skip(because: "iproute2's ip is not installed") }
        precondition(!names.isEmpty && names.count <= 250, "a lab has 1 to 250 hosts")
        return try withLabLock {
            sweepAbandonedLabs(ip: ip)
            let subnet = try freeSubnet(ip: ip)
            let prefix = "10.231.\(subnet)"
            let bridge = "\(bridgePrefix)\(subnet)"
            let hosts = names.enumerated().map { index, name in
                Host(name: name, namespace: "\(namespacePrefix)\(getpid())-\(subnet)-\(index)", address: "\(prefix).\(index + 2)")
            }
            let lab = HostLab(hosts: hosts, bridge: bridge, bridgeAddress: "\(prefix).1", ip: ip)
            if let refused = lab.command(["link", "add", bridge, "type", "bridge"]) {
                lab.tornDown = true
                try skip(because: "ip link add \(bridge) type bridge: \(refused)")
            }
            if let refused = lab.command(["netns", "add", hosts[0].namespace]) {
                lab.tearDown()
                try skip(because: "ip netns add: \(refused)")
            }
            do {
                try lab.build(subnetPrefix: prefix)
            } catch {
                lab.tearDown()
                throw error
            }
            return lab
        }
    }

    /// The host named `name`.
    public func host(_ name: String) -> Host {
        guard let host = hosts.first(where: { $0.name == name }) else { preconditionFailure("no host \(name) in the lab") }
        return host
    }

    // MARK: Processes

    /// Runs `path ARGUMENTS` on `host` to its end, in `directory`, with `environment` (this
    /// process's when nil) and `SLIPWAY_HOST` set to the host's name.
    public func run(
        on host: Host, _ path: String, _ arguments: [String], environment: [String: String]? = nil, directory: URL
    ) throws -> ChildProgram.Result {
        try ChildProgram.run(ip, command(on: host, path, arguments, directory: directory),
                             environment: hostEnvironment(host, environment), separateErrors: true)
    }

    /// Starts `path ARGUMENTS` on `host` in the background, as `run` does, its output and errors
    /// to `log`; answers its pid (the lab kills it at `tearDown` if it still runs).
    public func start(
        on host: Host, _ path: String, _ arguments: [String], environment: [String: String]? = nil, directory: URL, log: URL
    ) throws -> pid_t {
        let pid = try ChildProgram.spawn(ip, command(on: host, path, arguments, directory: directory),
                                         environment: hostEnvironment(host, environment), output: log)
        lock.withLock { children.append(pid) }
        return pid
    }

    /// Waits for a process `start` started to end; answers its exit status.
    @discardableResult
    public func wait(for pid: pid_t) -> Int32 {
        let status = ChildProgram.wait(for: pid)
        lock.withLock { children.removeAll { $0 == pid } }
        return status
    }

    /// Every process running in `host`'s namespace (`ip netns pids`), whoever started it.
    public func processes(on host: Host) -> [pid_t] {
        guard let listed = try? ChildProgram.run(ip, ["netns", "pids", host.namespace]), listed.status == 0 else { return [] }
        return listed.output.split(whereSeparator: \.isNewline).compactMap { pid_t($0) }
    }

    /// `ip netns exec NS env -C DIRECTORY PATH ARGUMENTS`: `ip` execs into env, env into the
    /// program, so the pid spawned is the program's.
    private func command(on host: Host, _ path: String, _ arguments: [String], directory: URL) -> [String] {
        ["netns", "exec", host.namespace, "/usr/bin/env", "-C", directory.path, path] + arguments
    }

    private func hostEnvironment(_ host: Host, _ environment: [String: String]?) -> [String: String] {
        (environment ?? ProcessInfo.processInfo.environment).merging([ProcessIdentity.hostVariable: host.name]) { _, new in new }
    }

    // MARK: Teardown

    /// Kills every process in the namespaces (and waits for the ones this lab started), then
    /// deletes the namespaces, the veths and the bridge. Safe to call more than once.
    public func tearDown() {
        let first = lock.withLock {
            defer { tornDown = true }
            return !tornDown
        }
        guard first else { return }
        for host in hosts { Self.killEverything(in: host.namespace, ip: ip) }
        for pid in lock.withLock({ children }) { ChildProgram.wait(for: pid) }
        for (index, host) in hosts.enumerated() {
            _ = command(["netns", "del", host.namespace])
            // Deleting the namespace deletes its end of the pair and so the pair; this is for a
            // namespace that was never made.
            _ = command(["link", "del", "\(Self.vethPrefix)\(subnet)-\(index)"])
        }
        _ = command(["link", "del", bridge])
    }

    /// The lab's namespaces and links this machine still has (none after `tearDown`).
    public func remnants() -> [String] {
        let namespaces = ((try? ChildProgram.run(ip, ["netns", "list"]))?.output ?? "")
            .split(whereSeparator: \.isNewline).compactMap { $0.split(separator: " ").first.map(String.init) }
        let links = ((try? ChildProgram.run(ip, ["-o", "link", "show"]))?.output ?? "")
            .split(whereSeparator: \.isNewline).compactMap { line -> String? in
                let fields = line.split(separator: " ")
                return fields.count > 1 ? fields[1].split(separator: ":").first?.split(separator: "@").first.map(String.init) : nil
            }
        let ours = Set(hosts.map(\.namespace) + [bridge] + hosts.indices.map { "\(Self.vethPrefix)\(subnet)-\($0)" })
        return (namespaces + links).filter(ours.contains)
    }

    /// SIGKILL to every process of `namespace`, until none is left (a process may fork while
    /// being killed); at most 10 s.
    static func killEverything(in namespace: String, ip: String) {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            guard let listed = try? ChildProgram.run(ip, ["netns", "pids", namespace]), listed.status == 0 else { return }
            let pids = listed.output.split(whereSeparator: \.isNewline).compactMap { pid_t($0) }.filter(isLive)
            if pids.isEmpty { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(50_000)
        }
    }

    /// Running and not a zombie (an orphan that nobody reaped yet is gone for the lab's purposes).
    static func isLive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: close)...].split(separator: " ").first != "Z"
    }

    // MARK: Building

    private var subnet: String { String(bridge.dropFirst(Self.bridgePrefix.count)) }

    private func build(subnetPrefix prefix: String) throws {
        try must(["addr", "add", "\(bridgeAddress)/24", "dev", bridge])
        try must(["link", "set", bridge, "up"])
        for (index, host) in hosts.enumerated() {
            if index > 0 { try must(["netns", "add", host.namespace]) }
            let veth = "\(Self.vethPrefix)\(subnet)-\(index)"
            try must(["link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", host.namespace])
            try must(["link", "set", veth, "master", bridge, "up"])
            try must(["-n", host.namespace, "addr", "add", "\(host.address)/24", "dev", "eth0"])
            try must(["-n", host.namespace, "link", "set", "eth0", "up"])
            try must(["-n", host.namespace, "link", "set", "lo", "up"])
        }
    }

    /// Runs `ip ARGUMENTS`; answers nil when it succeeded, else what it said.
    private func command(_ arguments: [String]) -> String? {
        Self.command(arguments, ip: ip)
    }

    static func command(_ arguments: [String], ip: String) -> String? {
        do {
            let result = try ChildProgram.run(ip, arguments)
            return result.status == 0 ? nil : result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            return "\(error)"
        }
    }

    private func must(_ arguments: [String]) throws {
        if let refused = command(arguments) {
            throw ExternalTool.Missing(description: "HostLab: ip \(arguments.joined(separator: " ")) failed: \(refused)")
        }
    }

    private static func skip(because reason: String) throws -> Never {
        try Test.cancel(Comment(rawValue:
            "network namespaces cannot be created here (\(reason)): the several-hosts tests need root and iproute2"))
    }

    // MARK: Labs of other test processes

    /// Holds an exclusive lock on `lockPath` across test processes while `body` runs, so two labs
    /// never take the same subnet and a sweep never deletes a lab being built.
    private static func withLabLock<T>(_ body: () throws -> T) throws -> T {
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ExternalTool.Missing(description: "HostLab: cannot open \(lockPath): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }

    /// The third byte of a 10.231.X.0/24 no interface of this machine has an address in.
    private static func freeSubnet(ip: String) throws -> Int {
        let listed = try ChildProgram.run(ip, ["-o", "-4", "addr", "show"])
        let taken = Set(listed.output.split(whereSeparator: \.isWhitespace).compactMap { word -> Int? in
            let parts = word.split(separator: "/").first?.split(separator: ".") ?? []
            guard parts.count == 4, parts[0] == "10", parts[1] == "231" else { return nil }
            return Int(parts[2])
        })
        guard let free = (1...254).first(where: { !taken.contains($0) }) else {
            throw ExternalTool.Missing(description: "HostLab: every 10.231.X.0/24 is in use")
        }
        return free
    }

    /// Deletes the namespaces of labs whose test process is gone (named slw-PID-SUBNET-INDEX),
    /// with their processes, and every lab bridge left without a live namespace.
    private static func sweepAbandonedLabs(ip: String) {
        let namespaces = ((try? ChildProgram.run(ip, ["netns", "list"]))?.output ?? "")
            .split(whereSeparator: \.isNewline).compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.hasPrefix(namespacePrefix) }
        var liveSubnets: Set<Substring> = []
        for namespace in namespaces {
            let fields = namespace.dropFirst(namespacePrefix.count).split(separator: "-")
            guard fields.count == 3, let owner = pid_t(fields[0]) else { continue }
            if isLive(owner) {
                liveSubnets.insert(fields[1])
            } else {
                killEverything(in: namespace, ip: ip)
                _ = command(["netns", "del", namespace], ip: ip)
            }
        }
        let bridges = ((try? ChildProgram.run(ip, ["-o", "link", "show", "type", "bridge"]))?.output ?? "")
            .split(whereSeparator: \.isNewline).compactMap { line -> Substring? in
                let fields = line.split(separator: " ")
                guard fields.count > 1 else { return nil }
                return fields[1].split(separator: ":").first.flatMap { $0.split(separator: "@").first }
            }
            .filter { $0.hasPrefix(bridgePrefix) }
        for bridge in bridges where !liveSubnets.contains(bridge.dropFirst(bridgePrefix.count)) {
            _ = command(["link", "del", String(bridge)], ip: ip)
        }
    }
}
