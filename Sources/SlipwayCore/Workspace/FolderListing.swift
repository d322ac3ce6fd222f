import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The entries of a folder, read in one `readdir` pass with the kind the file system reports for
/// each (`d_type`), so telling the folders from the files needs no `stat` per entry.
///
/// `Workspace.load` lists `apps/`, `services/` and every component folder: on a workspace of 500
/// components, `FileManager`'s listing and a `fileExists(isDirectory:)` per entry were about half
/// of the load. A link, or a file system that does not report kinds, is still asked with `stat`,
/// which follows links as `FileManager.fileExists` does.
struct FolderListing {
    struct Entry: Equatable {
        var name: String
        var isFolder: Bool
    }

    /// Every entry but `.` and `..`, in the file system's order.
    let entries: [Entry]

    /// Nil when `path` does not exist; the reason when it cannot be listed (not a folder, no
    /// permission).
    init?(path: String) throws(SlipwayError) {
        guard let stream = opendir(path) else {
            let code = errno
            if code == ENOENT { return nil }
            throw SlipwayError(.fileAccess(.read, path: path, problem: String(cString: strerror(code))))
        }
        defer { closedir(stream) }
        var entries: [Entry] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { bytes in
                String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let isFolder: Bool
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): isFolder = true
            case Int32(DT_LNK), Int32(DT_UNKNOWN): isFolder = Self.isFolder(atPath: path + "/" + name)
            default: isFolder = false
            }
            entries.append(Entry(name: name, isFolder: isFolder))
        }
        self.entries = entries
    }

    private static func isFolder(atPath path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }
}
