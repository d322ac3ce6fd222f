import Foundation

/// A Pages deployment as wrangler's `pages deploy` makes one: each file of the output folder is
/// an asset named by its hash (BLAKE3 of its base64 and its extension, 32 hex digits), uploaded
/// to the project's asset store only when the store lacks it, and the deployment itself is the
/// multipart/form-data body of `POST /accounts/{account_id}/pages/projects/{project}/deployments`
/// with the documented `branch`, `commit_hash`, `commit_message`, `commit_dirty` and `manifest`
/// (each site path and its asset's hash) fields.
struct PagesUpload: Sendable {
    struct Asset: Sendable, Equatable {
        /// The path in the site (`/index.html`).
        var path: String
        var content: Data
        var hash: String
        var contentType: String

        init(path: String, content: Data) {
            self.path = path
            self.content = content
            let name = path.split(separator: "/").last.map(String.init) ?? ""
            let `extension` = name.contains(".") ? String(name.split(separator: ".").last ?? "") : ""
            hash = String(BLAKE3.hex(Array((content.base64EncodedString() + `extension`).utf8)).prefix(32))
            contentType = Self.contentTypes[`extension`.lowercased()] ?? "application/octet-stream"
        }

        /// What a browser needs for the files a static site is made of (as wrangler's MIME lookup).
        static let contentTypes = [
            "html": "text/html", "htm": "text/html", "css": "text/css", "js": "application/javascript",
            "mjs": "application/javascript", "json": "application/json", "map": "application/json", "txt": "text/plain",
            "xml": "application/xml", "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
            "gif": "image/gif", "webp": "image/webp", "avif": "image/avif", "ico": "image/vnd.microsoft.icon",
            "woff": "font/woff", "woff2": "font/woff2", "wasm": "application/wasm", "pdf": "application/pdf",
            "webmanifest": "application/manifest+json",
        ]
    }

    var branch: String
    var commitHash: String
    var commitMessage: String
    /// Sorted by path.
    var assets: [Asset]

    /// Asset uploads are sent in bodies of at most this many bytes of base64, as wrangler batches them.
    static let batchLimit = 40 << 20

    /// Every regular file under `folder`, by its path in the site.
    static func assets(in folder: URL) throws(SlipwayError) -> [Asset] {
        let root = folder.resolvingSymlinksInPath().standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw SlipwayError(.target(.buildOutputMissing(kind: "folder", path: folder.path, setting: "cloudflare.output_dir", action: "upload")))
        }
        var assets: [Asset] = []
        for case let file as URL in walker {
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            guard let content = FileManager.default.contents(atPath: file.path) else {
                throw .failure("cannot read \(file.path) to upload")
            }
            let path = String(file.resolvingSymlinksInPath().standardizedFileURL.path.dropFirst(root.path.count))
            assets.append(Asset(path: path.hasPrefix("/") ? path : "/" + path, content: content))
        }
        guard !assets.isEmpty else {
            throw SlipwayError(.target(.buildOutputEmpty(path: folder.path, setting: "cloudflare.output_dir")))
        }
        return assets.sorted { $0.path < $1.path }
    }

    /// Each hash once, in path order.
    var hashes: [String] {
        var seen: Set<String> = []
        return assets.map(\.hash).filter { seen.insert($0).inserted }
    }

    /// The bodies of `POST /pages/assets/upload` for the assets whose hash is in `missing`: JSON
    /// arrays of `{key, value, metadata: {contentType}, base64: true}`, each within `batchLimit`.
    func uploadBodies(missing: Set<String>) throws(SlipwayError) -> [Data] {
        var bodies: [Data] = []
        var batch: [[String: Any]] = []
        var size = 0
        var sent: Set<String> = []
        for asset in assets where missing.contains(asset.hash) && sent.insert(asset.hash).inserted {
            let value = asset.content.base64EncodedString()
            if !batch.isEmpty, size + value.utf8.count > Self.batchLimit {
                bodies.append(try Self.json(batch))
                batch = []
                size = 0
            }
            batch.append(["key": asset.hash, "value": value, "metadata": ["contentType": asset.contentType], "base64": true])
            size += value.utf8.count
        }
        if !batch.isEmpty { bodies.append(try Self.json(batch)) }
        return bodies
    }

    static func json(_ object: Any) throws(SlipwayError) -> Data {
        do {
            return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        } catch {
            throw .failure("cannot write a Pages upload: \(error.localizedDescription)")
        }
    }

    /// The deployment's body, and the boundary its content type names.
    func deploymentBody() throws(SlipwayError) -> (Data, boundary: String) {
        let boundary = "slipway-\(UUID().uuidString)"
        var body = Data()
        func field(_ name: String, _ value: Data) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n".utf8))
            body.append(value)
            body.append(Data("\r\n".utf8))
        }
        field("branch", Data(branch.utf8))
        field("commit_hash", Data(commitHash.utf8))
        field("commit_message", Data(commitMessage.utf8))
        field("commit_dirty", Data("false".utf8))
        field("manifest", try Self.json(Dictionary(uniqueKeysWithValues: assets.map { ($0.path, $0.hash) })))
        body.append(Data("--\(boundary)--\r\n".utf8))
        return (body, boundary)
    }
}
