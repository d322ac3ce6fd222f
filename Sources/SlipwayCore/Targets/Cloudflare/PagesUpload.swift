import Foundation

/// A Pages deployment as Slipway uploads it: the multipart/form-data body of `POST
/// /accounts/{account_id}/pages/projects/{project}/deployments`, with the documented `branch`,
/// `commit_hash`, `commit_message`, `commit_dirty` and `manifest` (each site path and the key of
/// its content) fields, and each file of the output folder as a part named by its key.
struct PagesUpload: Sendable {
    var branch: String
    var commitHash: String
    var commitMessage: String
    /// Site path (`/index.html`) and content, sorted by path.
    var files: [(path: String, content: Data)]

    /// Every regular file under `folder`, by its path in the site.
    static func files(in folder: URL) throws(SlipwayError) -> [(path: String, content: Data)] {
        let root = folder.resolvingSymlinksInPath().standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw .failure("no folder \(folder.path) to upload (cloudflare.output_dir; the component's build goal makes it)")
        }
        var files: [(path: String, content: Data)] = []
        for case let file as URL in walker {
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            guard let content = FileManager.default.contents(atPath: file.path) else {
                throw .failure("cannot read \(file.path) to upload")
            }
            let path = String(file.resolvingSymlinksInPath().standardizedFileURL.path.dropFirst(root.path.count))
            files.append((path.hasPrefix("/") ? path : "/" + path, content))
        }
        guard !files.isEmpty else {
            throw .failure("\(folder.path) has no files to upload (cloudflare.output_dir; the component's build goal makes it)")
        }
        return files.sorted { $0.path < $1.path }
    }

    /// The body, and the boundary its content type names.
    func body() throws(SlipwayError) -> (Data, boundary: String) {
        let boundary = "slipway-\(UUID().uuidString)"
        var body = Data()
        func field(_ name: String, _ value: Data, headers: String = "") {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\(headers)\r\n\r\n".utf8))
            body.append(value)
            body.append(Data("\r\n".utf8))
        }
        let keys = files.indices.map { "file\($0)" }
        let manifest: Data
        do {
            manifest = try JSONSerialization.data(
                withJSONObject: Dictionary(uniqueKeysWithValues: zip(files.map(\.path), keys)), options: [.sortedKeys])
        } catch {
            throw .failure("cannot write the deployment's manifest: \(error.localizedDescription)")
        }
        field("branch", Data(branch.utf8))
        field("commit_hash", Data(commitHash.utf8))
        field("commit_message", Data(commitMessage.utf8))
        field("commit_dirty", Data("false".utf8))
        field("manifest", manifest)
        for (key, file) in zip(keys, files) {
            field(key, file.content, headers: "; filename=\"\(file.path.split(separator: "/").last ?? "file")\"\r\nContent-Type: application/octet-stream")
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return (body, boundary)
    }
}
