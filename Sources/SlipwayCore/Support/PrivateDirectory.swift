import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The folder of the agent's and router's sockets, as ssh-agent and tmux keep theirs: created
/// 0700 by its owner, and refused when it is not a real directory, not the user's, or open to
/// others, since whoever can write there can put a socket of their own in the agent's place.
public enum PrivateDirectory {
    /// Creates `path` (mode 0700) when absent, then checks it.
    public static func prepare(_ path: String) throws(SlipwayError) {
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw SlipwayError(.fileAccess(.create, path: path, problem: String(cString: strerror(errno))))
        }
        try verify(path)
    }

    /// Checks an existing `path`: a directory (not a link), owned by this user, closed to others.
    public static func verify(_ path: String) throws(SlipwayError) {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            throw SlipwayError(.fileAccess(.inspect, path: path, problem: String(cString: strerror(errno))))
        }
        let problem: String?
        if status.st_mode & S_IFMT != S_IFDIR {
            problem = "it is not a directory"
        } else if status.st_uid != getuid() {
            problem = "it belongs to uid \(status.st_uid), not to you (uid \(getuid()))"
        } else if status.st_mode & 0o077 != 0 {
            problem = "others may use it (mode \(String(status.st_mode & 0o777, radix: 8)))"
        } else {
            problem = nil
        }
        if let problem {
            throw .failure("refusing the socket folder \(path): \(problem); remove it, or set XDG_RUNTIME_DIR to a private folder")
        }
    }
}
