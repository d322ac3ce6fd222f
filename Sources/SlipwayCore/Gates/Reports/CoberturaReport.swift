import Foundation

/// Reads Cobertura XML (coverage.py `coverage xml`, gcovr `--cobertura`, JaCoCo converters).
enum CoberturaReport {
    static func parse(_ data: Data, file: String, directory: URL?) throws(SlipwayError) -> CoverageSummary {
        var reader = Reader()
        var pieces: XMLPieces
        do {
            pieces = try XMLPieces(data)
        } catch {
            throw SlipwayError(.malformedReport(file: file, .line(error.line), problem: "invalid XML: \(error.message)"))
        }
        while true {
            let piece: XMLPieces.Piece?
            do {
                piece = try pieces.next()
            } catch {
                throw SlipwayError(.malformedReport(file: file, .line(error.line), problem: "invalid XML: \(error.message)"))
            }
            guard let piece else { break }
            if let problem = reader.read(piece) { throw SlipwayError(.malformedReport(file: file, .line(pieces.pieceLine), problem: problem)) }
        }
        guard reader.sawRoot else { throw SlipwayError(.malformedReport(file: file, .line(1), problem: "not a Cobertura report: no <coverage> element")) }
        var summary = CoverageSummary()
        for entry in reader.files {
            summary.add(FileCoverage(
                path: resolve(entry.filename, sources: reader.sources, directory: directory),
                lines: entry.lines,
                branches: entry.branches.isEmpty ? nil : entry.branches.values.reduce(LineCounts(found: 0, hit: 0), +)))
        }
        return summary
    }

    /// A class's `filename` is relative to one of `sources`: the first where the file exists,
    /// else the first one.
    private static func resolve(_ filename: String, sources: [String], directory: URL?) -> String {
        if filename.hasPrefix("/") || sources.isEmpty { return filename }
        let candidates = sources.map { source -> String in
            let base = source.hasPrefix("/") || directory == nil
                ? URL(fileURLWithPath: source) : directory!.appendingPathComponent(source)
            return base.appendingPathComponent(filename).standardizedFileURL.path
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
    }

    /// What the report says, gathered element by element.
    private struct Reader {
        struct Entry {
            var filename: String
            var lines: [Int: Int] = [:]
            /// Per line, the branch outcomes found and covered (the best of repeated lines).
            var branches: [Int: LineCounts] = [:]
        }

        var sawRoot = false
        var sources: [String] = []
        var files: [Entry] = []
        private var text = ""
        private var inSource = false

        /// Takes in one piece; a problem with the report's content, if any.
        mutating func read(_ piece: XMLPieces.Piece) -> String? {
            switch piece {
            case .start(let name, let attributes):
                return start(name, attributes)
            case .text(let string):
                if inSource { text += string }
            case .end(let name):
                if name == "source" {
                    inSource = false
                    let source = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !source.isEmpty { sources.append(source) }
                }
            }
            return nil
        }

        private mutating func start(_ name: String, _ attributes: [String: String]) -> String? {
            guard sawRoot else {
                guard name == "coverage" else { return "not a Cobertura report: the root element is <\(name)>, not <coverage>" }
                sawRoot = true
                return nil
            }
            switch name {
            case "source":
                inSource = true
                text = ""
            case "class":
                guard let filename = attributes["filename"], !filename.isEmpty else { return "<class> without a filename" }
                files.append(Entry(filename: filename))
            case "line":
                guard !files.isEmpty else { return nil }
                guard let number = attributes["number"].flatMap(Int.init), let hits = attributes["hits"].flatMap(Int.init) else {
                    return "<line> needs whole-number number and hits attributes"
                }
                let index = files.count - 1
                files[index].lines[number] = max(files[index].lines[number] ?? 0, max(hits, 0))
                if attributes["branch"] == "true", let condition = attributes["condition-coverage"] {
                    guard let counts = Self.conditions(condition) else {
                        return "condition-coverage '\(condition)' is not like '50% (1/2)'"
                    }
                    if counts.hit >= files[index].branches[number]?.hit ?? -1 { files[index].branches[number] = counts }
                }
            default:
                break
            }
            return nil
        }

        /// `50% (1/2)` -> 1 hit of 2.
        static func conditions(_ text: String) -> LineCounts? {
            guard let open = text.firstIndex(of: "("), let close = text.firstIndex(of: ")"), open < close else { return nil }
            let parts = text[text.index(after: open)..<close].split(separator: "/")
            guard parts.count == 2, let hit = Int(parts[0]), let found = Int(parts[1]), hit <= found else { return nil }
            return LineCounts(found: found, hit: hit)
        }
    }
}
