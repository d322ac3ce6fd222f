import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads Cobertura XML (coverage.py `coverage xml`, gcovr `--cobertura`, JaCoCo converters).
enum CoberturaReport {
    static func parse(_ data: Data, file: String, directory: URL?) throws(SlipwayError) -> CoverageSummary {
        // libxml2 hands names that are not UTF-8 on to Foundation's XMLParser, which traps on them:
        // a report in UTF-8 (as declared, or by default) is checked before it is parsed.
        if declaresUTF8(data), let offset = firstInvalidUTF8(data) {
            let line = data.prefix(offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw .failure("\(file):\(line): invalid XML: not UTF-8 (byte 0x\(String(data[data.startIndex + offset], radix: 16, uppercase: true)))")
        }
        let reader = Reader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        let finished = parser.parse()
        if let problem = reader.problem {
            throw .failure("\(file):\(problem.line): \(problem.message)")
        }
        guard finished else {
            let reason = parser.parserError.map { ($0 as NSError).localizedDescription } ?? "unknown error"
            throw .failure("\(file):\(max(parser.lineNumber, 1)): invalid XML (truncated?): \(reason)")
        }
        guard reader.sawRoot else { throw .failure("\(file):1: not a Cobertura report: no <coverage> element") }
        var summary = CoverageSummary()
        for entry in reader.files {
            summary.add(FileCoverage(
                path: resolve(entry.filename, sources: reader.sources, directory: directory),
                lines: entry.lines,
                branches: entry.branches.isEmpty ? nil : entry.branches.values.reduce(LineCounts(found: 0, hit: 0), +)))
        }
        return summary
    }

    /// Whether the XML declaration names UTF-8 or no encoding (XML's default).
    private static func declaresUTF8(_ data: Data) -> Bool {
        let head = String(decoding: data.prefix(200), as: UTF8.self)
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>"),
            let encoding = head[..<end.lowerBound].range(of: "encoding=")
        else { return true }
        let value = head[encoding.upperBound..<end.lowerBound].dropFirst().prefix { $0 != "\"" && $0 != "'" }
        return ["utf-8", "utf8"].contains(value.lowercased())
    }

    /// The offset of the first byte that does not belong to a UTF-8 character.
    private static func firstInvalidUTF8(_ data: Data) -> Int? {
        var decoder = Unicode.UTF8()
        var bytes = data.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
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

    private final class Reader: NSObject, XMLParserDelegate {
        struct Entry {
            var filename: String
            var lines: [Int: Int] = [:]
            /// Per line, the branch outcomes found and covered (the best of repeated lines).
            var branches: [Int: LineCounts] = [:]
        }

        var sawRoot = false
        var sources: [String] = []
        var files: [Entry] = []
        var problem: (line: Int, message: String)?
        private var text = ""
        private var inSource = false

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch name {
            case "coverage":
                sawRoot = true
            case "source":
                inSource = true
                text = ""
            case "class":
                guard let filename = attributes["filename"], !filename.isEmpty else {
                    return fail(parser, "<class> without a filename")
                }
                files.append(Entry(filename: filename))
            case "line":
                guard !files.isEmpty else { return }
                guard let number = attributes["number"].flatMap(Int.init), let hits = attributes["hits"].flatMap(Int.init)
                else {
                    return fail(parser, "<line> needs whole-number number and hits attributes")
                }
                let index = files.count - 1
                files[index].lines[number] = max(files[index].lines[number] ?? 0, max(hits, 0))
                if attributes["branch"] == "true", let condition = attributes["condition-coverage"] {
                    guard let counts = Self.conditions(condition) else {
                        return fail(parser, "condition-coverage '\(condition)' is not like '50% (1/2)'")
                    }
                    if counts.hit >= files[index].branches[number]?.hit ?? -1 { files[index].branches[number] = counts }
                }
            default:
                if !sawRoot { fail(parser, "not a Cobertura report: the root element is <\(name)>, not <coverage>") }
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inSource { text += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "source" {
                inSource = false
                let source = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if !source.isEmpty { sources.append(source) }
            }
        }

        private func fail(_ parser: XMLParser, _ message: String) {
            guard problem == nil else { return }
            problem = (max(parser.lineNumber, 1), message)
            parser.abortParsing()
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
