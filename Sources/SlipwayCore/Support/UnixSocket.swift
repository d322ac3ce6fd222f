import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Newline-delimited messages over a unix domain socket: the client's side of the agent's control
/// channel (the agent serves it on NIO, see SlipwayAgent's `AgentSocket`).
/// Paths must stay under 108 bytes (the kernel's `sun_path`); the socket file is mode 0600.
public enum UnixSocket {
    public static let maximumPathBytes = 107

    private static func address(_ path: String) throws(SlipwayError) -> sockaddr_un {
        guard path.utf8.count <= maximumPathBytes else {
            throw SlipwayError(.socket(.pathTooLong(path: path)))
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
            buffer[path.utf8.count] = 0
        }
        return address
    }

    /// A listening socket at `path` (an old socket file there is replaced), in a private folder:
    /// what tests stand in for an agent with.
    public static func listen(at path: String) throws(SlipwayError) -> Int32 {
        var address = try address(path)
        try PrivateDirectory.prepare((path as NSString).deletingLastPathComponent)
        unlink(path)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SlipwayError(.socket(.cannotCreate(problem: String(cString: strerror(errno))))) }
        let previous = umask(0o177)
        defer { umask(previous) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, Glibc.listen(descriptor, 64) == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw SlipwayError(.socket(.cannotListen(path: path, problem: message)))
        }
        chmod(path, 0o600)
        return descriptor
    }

    /// A connection to the socket at `path`, in a private folder, answered by a process of this user.
    public static func connect(to path: String) throws(SlipwayError) -> Int32 {
        var address = try address(path)
        let folder = (path as NSString).deletingLastPathComponent
        if FileManager.default.fileExists(atPath: folder) { try PrivateDirectory.verify(folder) }
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SlipwayError(.socket(.cannotCreate(problem: String(cString: strerror(errno))))) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw SlipwayError(.socket(.cannotConnect(path: path, problem: message)))
        }
        if let owner = peerUID(descriptor), owner != getuid() {
            close(descriptor)
            throw SlipwayError(.socket(.foreignOwner(path: path, uid: owner)))
        }
        return descriptor
    }

    /// The uid of the process at the other end of a connected socket (SO_PEERCRED).
    public static func peerUID(_ descriptor: Int32) -> uid_t? {
        // glibc's `struct ucred` (pid, uid, gid) is hidden behind _GNU_SOURCE: read its layout as is.
        var credentials: (pid: pid_t, uid: uid_t, gid: gid_t) = (0, 0, 0)
        var length = socklen_t(MemoryLayout<(pid_t, uid_t, gid_t)>.size)
        guard getsockopt(descriptor, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return nil }
        return credentials.uid
    }

    /// Writes `line` and a newline; a peer that is gone (killed mid-request) is an error that says
    /// so, never a SIGPIPE, whatever the process does with that signal.
    public static func write(line: String, to descriptor: Int32) throws(SlipwayError) {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET {
                    throw SlipwayError(.socket(.closedEarly(sent: offset, total: bytes.count)))
                }
                throw SlipwayError(.socket(.writeFailed(problem: String(cString: strerror(errno)))))
            }
            offset += written
        }
    }

    /// Reads one line, waiting at most `timeout` seconds in all.
    public static func readLine(from descriptor: Int32, timeout: Double) throws(SlipwayError) -> String {
        var data = [UInt8]()
        let deadline = Date().addingTimeInterval(timeout)
        var byte: UInt8 = 0
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw SlipwayError(.socket(.noAnswer(withinSeconds: Int(timeout)))) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(remaining * 1000))
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            let count = Glibc.read(descriptor, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw SlipwayError(.socket(.closedBeforeAnswer)) }
            if byte == UInt8(ascii: "\n") { return String(decoding: data, as: UTF8.self) }
            data.append(byte)
        }
    }
}
