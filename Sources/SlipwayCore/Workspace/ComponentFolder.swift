import Foundation

/// A component's folder with its entries listed once, for `Workspace.load`'s questions about it
/// (is there a Makefile, a `slipway.yml`, a `package.json`, a `wrangler.toml`...).
///
/// Most answers are "no", and a name missing from the listing is answered without a system call:
/// 500 components cost 500 listings instead of some 7,500 probes, each through a `URL`. A listed
/// name is still asked of the file system, so a dangling link or a folder called `Makefile` reads
/// as before; names are compared ignoring case, for file systems that do.
struct ComponentFolder {
    let directory: URL
    private let path: String
    /// Lowercased; nil when the folder could not be listed, and then every question is asked.
    private let names: Set<String>?

    init(_ directory: URL) {
        self.directory = directory
        path = directory.path
        names = (try? FolderListing(path: path)).map { Set($0.entries.map { $0.name.lowercased() }) }
    }

    /// Whether `relativePath` (`package.json`, `deploy/Dockerfile`) exists, as `FileManager` says.
    func fileExists(_ relativePath: String) -> Bool {
        mayHold(relativePath) && FileManager.default.fileExists(atPath: fullPath(relativePath))
    }

    /// The text of `relativePath`, nil when it is missing or unreadable.
    func text(of relativePath: String) -> String? {
        guard mayHold(relativePath) else { return nil }
        return try? String(contentsOfFile: fullPath(relativePath), encoding: .utf8)
    }

    func url(of relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    /// False only when the first part of `relativePath` is not in the listing.
    func mayHold(_ relativePath: String) -> Bool {
        guard let names else { return true }
        let first = relativePath.split(separator: "/", maxSplits: 1).first.map(String.init) ?? relativePath
        return names.contains(first.lowercased())
    }

    private func fullPath(_ relativePath: String) -> String {
        path.hasSuffix("/") ? path + relativePath : path + "/" + relativePath
    }
}
