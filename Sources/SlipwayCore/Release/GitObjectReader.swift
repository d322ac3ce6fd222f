import Foundation
import Subprocess
import SystemPackage

/// One `git cat-file --batch-command --buffer` kept open for rounds of requests, each round
/// answered before the next is sent: a request can name what an earlier answer held (a tree's
/// entries) without starting another git process.
final class GitObjectReader {
    /// One object as git printed it, or a missing one (`type` "missing").
    struct Object {
        var object: String
        var type: String
        var content: ArraySlice<UInt8>

        var text: String? { type == "blob" ? String(decoding: content, as: UTF8.self) : nil }
        var manifest: PackageManifest? { type == "blob" ? PackageManifest(json: Data(content)) : nil }
        /// The entries of a tree object (`<mode> <name>\0<binary id>` each), in git's order;
        /// none for any other type.
        func entries(hashLength: Int) -> [Entry] {
            guard type == "tree" else { return [] }
            return Entry.parse(content, hashLength: hashLength)
        }
    }

    /// One entry of a tree object.
    struct Entry {
        /// `40000` for a folder, `160000` for a submodule, `100644`, `100755` or `120000` for a file.
        var mode: Substring
        var name: String
        var object: String

        var isFolder: Bool { mode == "40000" }
        var isSubmodule: Bool { mode == "160000" }
        var isFile: Bool { !isFolder && !isSubmodule }

        private static let hexDigits = Array("0123456789abcdef".utf8)

        static func parse(_ tree: ArraySlice<UInt8>, hashLength: Int) -> [Entry] {
            var entries: [Entry] = []
            var index = tree.startIndex
            while index < tree.endIndex {
                guard let space = tree[index...].firstIndex(of: UInt8(ascii: " ")),
                      let end = tree[space...].firstIndex(of: 0), end + 1 + hashLength <= tree.endIndex
                else { break }
                var hex: [UInt8] = []
                hex.reserveCapacity(2 * hashLength)
                for byte in tree[(end + 1)..<(end + 1 + hashLength)] {
                    hex += [hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xf)]]
                }
                entries.append(Entry(
                    mode: Substring(decoding: tree[index..<space], as: UTF8.self),
                    name: String(decoding: tree[(space + 1)..<end], as: UTF8.self),
                    object: String(decoding: hex, as: UTF8.self)))
                index = end + 1 + hashLength
            }
            return entries
        }
    }

    private let writer: StandardInputWriter
    private var output: SubprocessOutputSequence.Iterator
    /// Read from git and not yet answered.
    private var pending: [UInt8] = []
    /// Set when git's output ended before a round was answered: its status and standard error say why.
    private var ended: (answers: Int, requests: Int)?

    private init(writer: StandardInputWriter, output: SubprocessOutputSequence.Iterator) {
        self.writer = writer
        self.output = output
    }

    /// Runs `body` with a reader of the repository at `root`; git ends when `body` returns or throws.
    /// A git that ends early is one `git cat-file` error with the line it printed about why.
    static func session<Result: Sendable>(
        in root: URL, _ body: (GitObjectReader) async throws(SlipwayError) -> Result
    ) async throws(SlipwayError) -> Result {
        let run: ExecutionResult<(Swift.Result<Result, SlipwayError>, ended: (answers: Int, requests: Int)?), SequenceOutput, StringOutput<UTF8>>
        do {
            run = try await Subprocess.run(
                .name("git"), arguments: ["cat-file", "--batch-command", "--buffer"],
                environment: .inherit.updating(["GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"]),
                workingDirectory: FilePath(root.path), input: .inputWriter, output: .sequence,
                error: .string(limit: 1 << 20)
            ) { execution in
                let reader = GitObjectReader(
                    writer: execution.standardInputWriter, output: execution.standardOutput.makeAsyncIterator())
                // Returned, not thrown: a thrown error would lose git's standard error, which says why it ended.
                let result: Swift.Result<Result, SlipwayError>
                do throws(SlipwayError) {
                    result = .success(try await body(reader))
                } catch {
                    result = .failure(error)
                }
                return (result, reader.ended)
            }
        } catch {
            throw SlipwayError(.cannotRun(command: "git", problem: "\(error)"))
        }
        let (result, ended) = run.closureResult
        if let ended {
            let status: Int32
            switch run.terminationStatus {
            case .exited(let code): status = code
            case .signaled(let signal): status = 128 + signal
            }
            let lines = run.standardError.split(separator: "\n")
            let line = lines.first(where: { $0.hasPrefix("fatal:") }) ?? lines.first
            throw SlipwayError(.commandFailed(
                command: "git cat-file", status: status,
                firstLine: line.map(String.init) ?? "ended after \(ended.answers) of \(ended.requests) answers"))
        }
        return try result.get()
    }

    /// The objects `requests` name (`<object>`, `<rev>^{commit}`, `<tree>:<path>`), in order, one each.
    func objects(_ requests: [String]) async throws(SlipwayError) -> [Object] {
        var objects: [Object] = []
        objects.reserveCapacity(requests.count)
        var chunk: [UInt8] = []
        var asked = 0
        for (number, request) in requests.enumerated() {
            chunk += Array("contents \(request)\n".utf8)
            guard chunk.count >= Self.chunkSize || number == requests.count - 1 else { continue }
            chunk += Array("flush\n".utf8)
            do {
                _ = try await writer.write(chunk)
            } catch {
                ended = (objects.count, requests.count)
                throw .failure("git cat-file: \(error)")
            }
            chunk = []
            try await answer(number + 1 - asked, into: &objects, of: requests.count)
            asked = number + 1
        }
        return objects
    }

    /// Requests are sent in chunks no larger than any pipe holds, each answered before the next is
    /// sent: a write then never waits on git, which may itself be waiting for its answers to be read.
    private static let chunkSize = 4096

    /// Reads `count` answers into `objects`.
    private func answer(_ count: Int, into objects: inout [Object], of requests: Int) async throws(SlipwayError) {
        let wanted = objects.count + count
        var index = 0
        while objects.count < wanted {
            guard let newline = pending[index...].firstIndex(of: UInt8(ascii: "\n")) else {
                try await readMore(answered: objects.count, of: requests)
                continue
            }
            let header = pending[index..<newline]
            // "<request> missing" or "<request> ambiguous" (a request may hold spaces).
            if header.reversed().starts(with: " missing".utf8.reversed()) || header.reversed().starts(with: " ambiguous".utf8.reversed()) {
                objects.append(Object(object: "", type: "missing", content: []))
                index = newline + 1
                continue
            }
            // "<object> <type> <size>", then the content and a newline.
            let fields = header.split(separator: UInt8(ascii: " "))
            guard fields.count == 3, let size = Int(String(decoding: fields[2], as: UTF8.self)) else {
                throw .failure("git cat-file: unexpected output '\(String(decoding: header, as: UTF8.self))'")
            }
            let start = newline + 1
            guard start + size < pending.count else {
                try await readMore(answered: objects.count, of: requests)
                continue
            }
            objects.append(Object(
                object: String(decoding: fields[0], as: UTF8.self), type: String(decoding: fields[1], as: UTF8.self),
                content: pending[start..<(start + size)]))
            index = start + size + 1
        }
        // The answers keep the bytes they point into; what follows them starts the next chunk.
        pending = Array(pending[index...])
    }

    /// Appends what git printed next, or fails when its output has ended.
    private func readMore(answered: Int, of requests: Int) async throws(SlipwayError) {
        guard let buffer = try? await output.next(isolation: nil) else {
            ended = (answered, requests)
            throw .failure("git cat-file ended after \(answered) of \(requests) answers")
        }
        buffer.withUnsafeBytes { pending.append(contentsOf: $0) }
    }
}
