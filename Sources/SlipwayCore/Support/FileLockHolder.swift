import Foundation

/// Who holds a POSIX lock on a file, read from `/proc/locks` (Linux): what a command waiting on
/// the store says, instead of a silent freeze.
public struct FileLockHolder: Sendable, Equatable {
    public var pid: Int32
    /// The process' command name (`/proc/PID/comm`), when it can be read.
    public var command: String?

    /// The processes other than `excluding` holding a write lock on any of the files with these
    /// inode numbers, in the order `/proc/locks` lists them.
    public static func writers(ofInodes inodes: Set<UInt64>, in locks: String, excluding: Int32) -> [Int32] {
        var pids: [Int32] = []
        for line in locks.split(separator: "\n") {
            // `1: POSIX  ADVISORY  WRITE 13388 fe:00:16401744 120 120`
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[3] == "WRITE", let pid = Int32(fields[4]), pid != excluding,
                  let inode = fields[5].split(separator: ":").last.flatMap({ UInt64($0) }), inodes.contains(inode),
                  !pids.contains(pid)
            else { continue }
            pids.append(pid)
        }
        return pids
    }

    /// The processes holding a write lock on any of `paths` now.
    public static func holders(of paths: [String]) -> [FileLockHolder] {
        let inodes = Set(paths.compactMap { path -> UInt64? in
            var status = stat()
            return stat(path, &status) == 0 ? UInt64(status.st_ino) : nil
        })
        guard !inodes.isEmpty, let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return [] }
        return writers(ofInodes: inodes, in: locks, excluding: getpid()).map { pid in
            let command = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return FileLockHolder(pid: pid, command: command)
        }
    }

    public var description: String {
        "pid \(pid)" + (command.map { " (\($0))" } ?? "")
    }
}
