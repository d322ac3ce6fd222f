import Foundation

/// What Slipway reads from a component's Makefile: the seed's metadata variables and the
/// goals it defines. Variables are read as make assigns them (`:=`, `::=`, `?=`, `=`, `+=`).
public struct MakefileMetadata: Sendable, Equatable {
    public var variables: [String: String] = [:]
    public var goals: Set<String> = []

    public init(variables: [String: String] = [:], goals: Set<String> = []) {
        self.variables = variables
        self.goals = goals
    }

    public var appName: String? { variables["APP_NAME"] }
    public var technology: String? { variables["APP_TYPE"] }
    public var target: String? { variables["DEPLOYMENT_TARGET"] }

    /// Reads the Makefile at `url`, following `include` lines (relative to `directory`, where
    /// make runs) so that goals defined in shared `deploy/*.mk` files count.
    public static func load(from url: URL, directory: URL) -> MakefileMetadata? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        return parse(text, directory: directory) { try? String(contentsOf: $0, encoding: .utf8) }
    }

    /// Reads Makefile `text`; `contents` gives an included file's text, nil when it cannot be read.
    static func parse(_ text: String, directory: URL, contents: (URL) -> String?) -> MakefileMetadata {
        var metadata = MakefileMetadata()
        metadata.read(text, directory: directory, depth: 0, contents: contents)
        return metadata
    }

    private mutating func read(_ text: String, directory: URL, depth: Int, contents: (URL) -> String?) {
        for rawLine in Self.joinedContinuations(text) {
            if rawLine.hasPrefix("\t") { continue }
            let trimmed = Self.trimmingWhitespace(Self.stripComment(rawLine)[...])
            if trimmed.isEmpty { continue }
            if depth < 5, let included = Self.includedFiles(trimmed, variables: variables) {
                for path in included {
                    let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)
                    if let text = contents(url) {
                        read(text, directory: directory, depth: depth + 1, contents: contents)
                    }
                }
                continue
            }
            if let assignment = Self.parseAssignment(trimmed) {
                let (name, op, value) = assignment
                switch op {
                case "?=": if variables[name] == nil { variables[name] = value }
                case "+=": variables[name] = [variables[name], value].compactMap { $0 }.joined(separator: " ")
                default: variables[name] = value
                }
                continue
            }
            if let colon = trimmed.firstIndex(of: ":"), !trimmed[colon...].hasPrefix(":=") {
                let targets = trimmed[..<colon].split(separator: " ")
                for target in targets where !target.hasPrefix(".") && !target.contains("%") && !target.contains("$") {
                    goals.insert(String(target))
                }
            }
        }
    }

    /// The files named by an `include`/`-include`/`sinclude` line, with `$(VAR)` expanded.
    private static func includedFiles(_ line: String, variables: [String: String]) -> [String]? {
        // The split below goes a Character at a time: most lines are not includes.
        guard line.hasPrefix("include") || line.hasPrefix("-include") || line.hasPrefix("sinclude") else { return nil }
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let first = words.first, ["include", "-include", "sinclude"].contains(String(first)) else { return nil }
        return words.dropFirst().map { word in
            var expanded = String(word)
            // Every reference starts with `$`: a word without one is kept as written.
            guard expanded.utf8.contains(UInt8(ascii: "$")) else { return expanded }
            for (name, value) in variables {
                expanded = expanded.replacingOccurrences(of: "$(\(name))", with: value)
                    .replacingOccurrences(of: "${\(name)}", with: value)
            }
            return expanded
        }
    }

    private static func joinedContinuations(_ text: String) -> [String] {
        var lines: [String] = []
        var pending = ""
        // Appended in place: `String + Substring` is the generic one, a Character at a time.
        for line in Self.lines(of: text) {
            if line.hasSuffix("\\") {
                pending.append(contentsOf: line.dropLast())
                pending.append(" ")
            } else {
                pending.append(contentsOf: line)
                lines.append(pending)
                pending = ""
            }
        }
        if !pending.isEmpty { lines.append(pending) }
        return lines
    }

    /// Drops a trailing `# comment` unless the `#` is escaped, as make does.
    private static func stripComment(_ line: String) -> String {
        guard line.utf8.contains(UInt8(ascii: "#")) else { return line }
        var previous: Character = " "
        for index in line.indices {
            if line[index] == "#" && previous != "\\" { return String(line[..<index]) }
            previous = line[index]
        }
        return line
    }

    private static func parseAssignment(_ line: String) -> (String, String, String)? {
        // Every operator ends in `=`: a line without one assigns nothing.
        guard line.utf8.contains(UInt8(ascii: "=")) else { return nil }
        for op in ["::=", ":=", "?=", "+=", "!=", "="] {
            guard let range = firstRange(of: op, in: line) else { continue }
            var name = trimmingWhitespace(line[..<range.lowerBound])
            if name.hasPrefix("export ") { name = trimmingWhitespace(name.dropFirst(7)) }
            if name.hasPrefix("override ") { name = trimmingWhitespace(name.dropFirst(9)) }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) else {
                return nil
            }
            let value = trimmingWhitespace(line[range.upperBound...])
            return (name, op == "::=" ? ":=" : op, value)
        }
        return nil
    }

    /// `text` split at each line feed, a carriage return before it left out, as GNU make reads a
    /// makefile saved with CRLF line ends.
    private static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = start
        while index != bytes.endIndex {
            if bytes[index] == UInt8(ascii: "\n") {
                var end = index
                if end != start, bytes[bytes.index(before: end)] == UInt8(ascii: "\r") { end = bytes.index(before: end) }
                lines.append(text[start..<end])
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        lines.append(text[start...])
        return lines
    }

    /// Where `op` (ASCII) first stands in `line`, as `firstRange(of:)` finds it. An ASCII line
    /// is searched byte by byte, each byte being a Character there; any other, Character by Character.
    private static func firstRange(of op: String, in line: String) -> Range<String.Index>? {
        let bytes = line.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return line.firstRange(of: op) }
        let wanted = Array(op.utf8)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            if bytes[index...].starts(with: wanted) { return index..<bytes.index(index, offsetBy: wanted.count) }
            index = bytes.index(after: index)
        }
        return nil
    }

    /// `text` without the whitespace `CharacterSet.whitespaces` holds (tab and the space
    /// separators) at either end, as Foundation's `trimmingCharacters(in:)` trims it: unicode
    /// scalar by scalar. Not Foundation's: that bridged call was most of a workspace's loading time.
    private static func trimmingWhitespace(_ text: Substring) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isWhitespace($0) }),
              let last = scalars.lastIndex(where: { !isWhitespace($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }
}
