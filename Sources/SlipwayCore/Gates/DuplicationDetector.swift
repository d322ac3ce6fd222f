import Foundation

/// Finds code that repeats within a component, the way CPD and jscpd do: source files become
/// tokens (whitespace and comments dropped), and every run of `minimumTokens` tokens seen at
/// two places marks the lines it spans in both as duplicated.
public struct DuplicationDetector: Sendable {
    /// jscpd's default minimum clone size.
    public var minimumTokens = 50

    public static let sourceExtensions: Set<String> = [
        "swift", "c", "h", "cc", "cpp", "hpp", "m", "mm", "js", "jsx", "mjs", "cjs", "ts", "tsx", "py", "rb", "go",
        "rs", "java", "kt", "cs", "php", "scala", "sh", "vue", "svelte",
    ]
    static let skippedFolders: Set<String> = [
        ".build", ".git", "node_modules", "dist", "build", "coverage", "vendor", ".venv", "venv", "__pycache__",
        ".slipway", "target",
    ]
    static let hashCommentExtensions: Set<String> = ["py", "rb", "sh"]

    public init(minimumTokens: Int = 50) {
        self.minimumTokens = minimumTokens
    }

    /// Duplicated line numbers per file, for the source files under `directory`; paths are
    /// relative to `root`.
    public func duplicatedLines(in directory: URL, root: URL) -> [String: Set<Int>] {
        let files = Self.sourceFiles(in: directory).map { url in
            (path: Self.relativePath(of: url, to: root), tokens: Self.tokens(of: url))
        }
        var seen: [UInt64: (file: Int, start: Int)] = [:]
        var duplicated: [String: Set<Int>] = [:]
        func mark(_ file: Int, _ start: Int) {
            let tokens = files[file].tokens
            duplicated[files[file].path, default: []].formUnion(tokens[start].line...tokens[start + minimumTokens - 1].line)
        }
        var power: UInt64 = 1
        for _ in 1..<minimumTokens { power = power &* Self.base }
        for (fileIndex, file) in files.enumerated() where file.tokens.count >= minimumTokens {
            var hash: UInt64 = 0
            for index in 0..<minimumTokens { hash = hash &* Self.base &+ file.tokens[index].hash }
            var start = 0
            while true {
                if let first = seen[hash] {
                    // A run overlapping itself (`a a a a ...`) is repetition, not a copy.
                    if first.file != fileIndex || start - first.start >= minimumTokens {
                        mark(first.file, first.start)
                        mark(fileIndex, start)
                    }
                } else {
                    seen[hash] = (fileIndex, start)
                }
                let end = start + minimumTokens
                guard end < file.tokens.count else { break }
                hash = (hash &- file.tokens[start].hash &* power) &* Self.base &+ file.tokens[end].hash
                start += 1
            }
        }
        return duplicated
    }

    private static let base: UInt64 = 1_000_003

    static func sourceFiles(in directory: URL) -> [URL] {
        guard let enumerator = FileManager.default.enumerator(
            at: directory, includingPropertiesForKeys: [.isDirectoryKey, .fileSizeKey], options: [.skipsHiddenFiles])
        else { return [] }
        var files: [URL] = []
        for case let url as URL in enumerator {
            let values = try? url.resourceValues(forKeys: [.isDirectoryKey, .fileSizeKey])
            if values?.isDirectory == true {
                if skippedFolders.contains(url.lastPathComponent) { enumerator.skipDescendants() }
            } else if sourceExtensions.contains(url.pathExtension.lowercased()), (values?.fileSize ?? 0) <= 1 << 20 {
                files.append(url)
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    static func relativePath(of url: URL, to root: URL) -> String {
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        let prefix = root.standardizedFileURL.resolvingSymlinksInPath().path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Tokens with the line each starts on: words, numbers, string literals and single
    /// punctuation bytes; `//`, `/* */` and (for script languages) `#` comments are skipped.
    static func tokens(of url: URL) -> [(hash: UInt64, line: Int)] {
        guard let data = try? Data(contentsOf: url) else { return [] }
        let hashComments = hashCommentExtensions.contains(url.pathExtension.lowercased())
        var tokens: [(hash: UInt64, line: Int)] = []
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var position = 0
            var line = 1
            let count = bytes.count
            func isWord(_ byte: UInt8) -> Bool {
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x5F || byte >= 0x80
            }
            while position < count {
                let byte = bytes[position]
                if byte == 0x0A {
                    line += 1
                    position += 1
                } else if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                    position += 1
                } else if (byte == UInt8(ascii: "/") && position + 1 < count && bytes[position + 1] == UInt8(ascii: "/"))
                    || (hashComments && byte == UInt8(ascii: "#"))
                {
                    while position < count && bytes[position] != 0x0A { position += 1 }
                } else if byte == UInt8(ascii: "/"), position + 1 < count, bytes[position + 1] == UInt8(ascii: "*") {
                    position += 2
                    while position < count && !(bytes[position] == UInt8(ascii: "*") && position + 1 < count
                        && bytes[position + 1] == UInt8(ascii: "/"))
                    {
                        if bytes[position] == 0x0A { line += 1 }
                        position += 1
                    }
                    position += 2
                } else {
                    let start = position
                    if isWord(byte) {
                        while position < count && isWord(bytes[position]) { position += 1 }
                    } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        position += 1
                        while position < count && bytes[position] != byte && bytes[position] != 0x0A {
                            if bytes[position] == UInt8(ascii: "\\") { position += 1 }
                            position += 1
                        }
                        position = min(position + 1, count)
                    } else {
                        position += 1
                    }
                    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                    for index in start..<position { hash = (hash ^ UInt64(bytes[index])) &* 0x100_0000_01b3 }
                    tokens.append((hash, line))
                }
            }
        }
        return tokens
    }
}
