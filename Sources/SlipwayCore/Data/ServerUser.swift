import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The operating-system user a PostgreSQL server runs as (`postgres` on Debian). The server
/// refuses to run as root, so when Slipway runs as root its server programs run as this user,
/// and the folders the server writes belong to it.
public struct ServerUser: Sendable, Equatable {
    public var name: String
    public var uid: uid_t
    public var gid: gid_t

    /// The owner of `path`, when it exists on this machine.
    public static func owner(of path: String) -> ServerUser? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return user(uid: status.st_uid)
    }

    public static func user(uid: uid_t) -> ServerUser? {
        guard let entry = getpwuid(uid) else { return nil }
        return ServerUser(name: String(cString: entry.pointee.pw_name), uid: uid, gid: entry.pointee.pw_gid)
    }

    public static func user(named name: String) -> ServerUser? {
        guard let entry = getpwnam(name) else { return nil }
        return ServerUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    /// Whether this process must switch to the user to run a server program as it.
    var needsSwitch: Bool { getuid() == 0 && uid != 0 }

    /// Whether the user may pass through (search) the folder at `path`.
    func canSearch(_ path: String) -> Bool { allows(path, bits: 0o1) }

    /// Whether the user may create files in the folder at `path`.
    func canWrite(_ path: String) -> Bool { allows(path, bits: 0o3) }

    private func allows(_ path: String, bits: mode_t) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        if uid == 0 { return true }
        let granted = status.st_uid == uid ? (status.st_mode >> 6) & 0o7 : status.st_gid == gid ? (status.st_mode >> 3) & 0o7 : status.st_mode & 0o7
        return granted & bits == bits
    }

    /// Makes sure the user can pass through every folder down to `folder`: those inside
    /// `ownFolder` (Slipway's `.slipway`, private by default) that this process owns get search
    /// permission for others (o+x, which lists nothing); any other closed folder is refused.
    /// Returns the folders opened.
    func reach(_ folder: URL, openingWithin ownFolder: URL) throws(SlipwayError) -> [String] {
        var opened: [String] = []
        var path = ""
        let own = ownFolder.standardizedFileURL.path
        for component in folder.standardizedFileURL.pathComponents.dropFirst() {
            path += "/" + component
            guard !canSearch(path) else { continue }
            var status = stat()
            let inside = path == own || path.hasPrefix(own + "/")
            guard inside, stat(path, &status) == 0, status.st_uid == getuid(), chmod(path, (status.st_mode & 0o7777) | 0o001) == 0 else {
                throw .failure(
                    "the server's user \(name) cannot reach \(folder.path): \(path) is closed to it; "
                        + "give it search permission (chmod o+x \(path)) or set backup_folder in the component's database: block to a folder it can reach")
            }
            opened.append(path)
        }
        return opened
    }

    /// Gives `folder` and everything under it to the user, the top folder mode 0700 (PostgreSQL
    /// refuses a data folder others can read).
    func take(_ folder: URL) throws(SlipwayError) {
        var paths = [folder.path]
        if let walker = FileManager.default.enumerator(atPath: folder.path) {
            while let relative = walker.nextObject() as? String { paths.append(folder.path + "/" + relative) }
        }
        for path in paths where lchown(path, uid, gid) != 0 {
            throw SlipwayError(.cannotGiveAway(path: path, user: name, serverUser: true, problem: String(cString: strerror(errno))))
        }
        guard chmod(folder.path, 0o700) == 0 else {
            throw .failure("cannot make \(folder.path) private (mode 0700): \(String(cString: strerror(errno)))")
        }
    }
}
