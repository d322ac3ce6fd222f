import Foundation

/// A fresh socket path short enough for sun_path; whoever binds it removes it.
func temporarySocketPath() -> String {
    "/tmp/slipway-router-test-\(UUID().uuidString.prefix(8)).sock"
}

/// Whether anything, a socket included, is at `path`.
func somethingExists(at path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// Leaves a socket file behind with nobody listening, as a killed router does.
func makeStaleSocketFile(at path: String) throws {
    let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard result == 0 else {
        throw ConditionNotMet(description: "cannot bind \(path): \(String(cString: strerror(errno)))")
    }
}
