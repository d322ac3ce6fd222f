import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a restored data folder is told before it starts: where the archive is, the moment to
/// stop at, to promote there, where to listen, and not to archive into the source's archive.
/// Written at the end of `postgresql.auto.conf` (read last, so it wins), after a marker line so
/// a second write replaces it; `recovery.signal` asks for archive recovery.
struct RestoreSettings: Sendable {
    var wal: String
    /// Nil replays the whole archive.
    var target: Date?
    var port: Int
    var socketFolder: String?
    var note: String

    static let marker = "# slipway restore settings"

    var lines: [String] {
        let folder = wal.replacingOccurrences(of: "%", with: "%%")
        var lines = [
            Self.marker + ": " + note,
            "archive_mode = 'off'",
            "restore_command = \(Self.quoted("cp '\(folder)/%f' '%p'"))",
            "recovery_target_action = 'promote'",
            "port = \(port)",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = \(Self.quoted(socketFolder ?? ""))",
        ]
        if let target { lines.append("recovery_target_time = \(Self.quoted(Self.timestamp(target)))") }
        return lines
    }

    func write(into data: URL, as user: ServerUser?) throws(SlipwayError) {
        let auto = data.appendingPathComponent("postgresql.auto.conf")
        let existing = (try? String(contentsOf: auto, encoding: .utf8)) ?? ""
        let kept = existing.components(separatedBy: "\n" + Self.marker).first ?? existing
        var files = [
            "postgresql.auto.conf": (kept.hasSuffix("\n") || kept.isEmpty ? kept : kept + "\n") + lines.joined(separator: "\n") + "\n",
            "recovery.signal": "",
        ]
        // A cluster configured outside its data folder (Debian's /etc/postgresql) left these out of the backup.
        let manager = FileManager.default
        if !manager.fileExists(atPath: data.appendingPathComponent("postgresql.conf").path) {
            files["postgresql.conf"] = "# written by slipway restore: the source kept its configuration outside the data folder\n"
        }
        if !manager.fileExists(atPath: data.appendingPathComponent("pg_hba.conf").path) {
            files["pg_hba.conf"] = "local all all peer\nhost all all 127.0.0.1/32 scram-sha-256\n"
        }
        if !manager.fileExists(atPath: data.appendingPathComponent("pg_ident.conf").path) { files["pg_ident.conf"] = "" }
        for (name, text) in files {
            let path = data.appendingPathComponent(name).path
            do {
                try text.write(toFile: path, atomically: false, encoding: .utf8)
            } catch {
                throw SlipwayError(.fileAccess(.write, path: path, problem: error.localizedDescription))
            }
            chmod(path, 0o600)
            if let user, user.needsSwitch, chown(path, user.uid, user.gid) != 0 {
                throw SlipwayError(.cannotGiveAway(path: path, user: user.name, serverUser: false, problem: String(cString: strerror(errno))))
            }
        }
    }

    /// A configuration string value: single quotes, inner ones doubled.
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// `2026-12-04 17:30:01.123456+00`: microseconds, as the server keeps time, so a moment
    /// between two close commits stays between them.
    static func timestamp(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        let seconds = Date(timeIntervalSince1970: Double(micros / 1_000_000))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        let fraction = String(micros % 1_000_000)
        return formatter.string(from: seconds) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction + "+00"
    }
}
