import Foundation

/// Puts the paths tools write (absolute, relative to the component, relative to where the tool
/// ran) in terms of the workspace root, which is how the diff names files.
struct SourcePath {
    var root: URL
    var component: Component

    /// The workspace-relative form of `path` among `known` (the diff's files): exact first, then
    /// by suffix, as diff-cover matches report paths to diff paths.
    func match(_ path: String, in known: Set<String>) -> String? {
        let candidates = forms(of: path)
        if let exact = candidates.first(where: known.contains) { return exact }
        let tail = candidates.last ?? path
        return known.filter { $0.hasSuffix("/" + tail) || tail.hasSuffix("/" + $0) }.min()
    }

    /// Workspace-relative readings of `path`, most likely first.
    private func forms(of path: String) -> [String] {
        if path.hasPrefix("/") {
            for prefix in [root.standardizedFileURL.path, root.resolvingSymlinksInPath().path] {
                let base = prefix.hasSuffix("/") ? prefix : prefix + "/"
                if path.hasPrefix(base) { return [String(path.dropFirst(base.count))] }
            }
            return [path]
        }
        let trimmed = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return ["\(component.path)/\(trimmed)", trimmed]
    }
}
