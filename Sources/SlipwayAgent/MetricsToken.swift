import Foundation
import SlipwayCore

/// The bearer token `/metrics` asks for: loopback TCP is open to every local user, so the page
/// is served only to whoever can read the token file (mode 0600, beside the store). Prometheus
/// reads it with `authorization: {credentials_file: PATH}`.
struct MetricsToken: Sendable {
    let value: String
    let file: URL

    /// The token in `folder/metrics.token`, made when absent (32 random bytes, hex) and made again
    /// when the file is not the owner's alone.
    static func load(in folder: URL) throws(SlipwayError) -> MetricsToken {
        let file = folder.appendingPathComponent("metrics.token")
        var status = stat()
        if stat(file.path, &status) == 0, status.st_uid == getuid(), status.st_mode & 0o077 == 0,
           let text = try? String(contentsOf: file, encoding: .utf8), text.count >= 64 {
            return MetricsToken(value: text.trimmingCharacters(in: .whitespacesAndNewlines), file: file)
        }
        var generator = SystemRandomNumberGenerator()
        let value = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        try? FileManager.default.removeItem(at: file)
        guard FileManager.default.createFile(atPath: file.path, contents: Data((value + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw SlipwayError(.fileAccess(.write, path: file.path))
        }
        return MetricsToken(value: value, file: file)
    }

    /// Whether an `Authorization` header value carries this token; compared in constant time.
    func admits(_ authorization: String?) -> Bool {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return false }
        let given = Array(authorization.dropFirst("Bearer ".count).utf8), expected = Array(value.utf8)
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
