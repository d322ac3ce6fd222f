/// A path glob in the syntax dorny/paths-filter reads (picomatch with `dot: true`): `**` for any
/// number of folders, `*` and `?` within one name, `[abc]` classes and `{a,b}` alternatives.
/// Dot files match like any other, as in paths-filter.
public struct PathGlob: Sendable, Equatable, CustomStringConvertible {
    public let pattern: String
    /// The pattern with its braces expanded, each split into `/`-separated segments.
    private let alternatives: [[[UInt8]]]

    public init(_ pattern: String) {
        self.pattern = pattern
        alternatives = Self.expandBraces(pattern).map { expanded in
            var segments = expanded.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.utf8) }
            if expanded.hasSuffix("/") { segments.append(Array("**".utf8)) }
            return segments
        }
    }

    public var description: String { pattern }

    public func matches(_ path: String) -> Bool {
        matches(segments: Self.segments(of: path))
    }

    /// A path split into its names once, to be matched against many globs.
    public static func segments(of path: String) -> [ArraySlice<UInt8>] {
        Array(path.utf8).split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
    }

    public func matches(segments: [ArraySlice<UInt8>]) -> Bool {
        alternatives.contains { Self.match(pattern: $0[...], path: segments[...]) }
    }

    private static let doubleStar = Array("**".utf8)

    private static func match(pattern: ArraySlice<[UInt8]>, path: ArraySlice<ArraySlice<UInt8>>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == doubleStar {
            let rest = pattern.dropFirst()
            // `**` takes zero or more whole segments; try the shortest first.
            var remaining = path
            while true {
                if match(pattern: rest, path: remaining) { return true }
                guard !remaining.isEmpty else { return false }
                remaining = remaining.dropFirst()
            }
        }
        guard let segment = path.first, matchSegment(first[...], segment) else { return false }
        return match(pattern: pattern.dropFirst(), path: path.dropFirst())
    }

    /// Matches one name against one pattern segment, iteratively with one backtrack point per `*`.
    private static func matchSegment(_ pattern: ArraySlice<UInt8>, _ name: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex
        var n = name.startIndex
        var starPattern: Int?
        var starName = n
        while n < name.endIndex {
            if p < pattern.endIndex {
                let character = pattern[p]
                if character == UInt8(ascii: "*") {
                    while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
                    starPattern = p
                    starName = n
                    continue
                }
                if character == UInt8(ascii: "?") {
                    p += 1
                    n += 1
                    continue
                }
                if character == UInt8(ascii: "["), let (matched, next) = matchClass(pattern, at: p, name[n]) {
                    if matched {
                        p = next
                        n += 1
                        continue
                    }
                } else if character == name[n] {
                    p += 1
                    n += 1
                    continue
                }
            }
            guard let star = starPattern else { return false }
            starName += 1
            p = star
            n = starName
        }
        while p < pattern.endIndex, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.endIndex
    }

    /// Whether `byte` is in the class `[...]` opening at `start`, and the index after the class;
    /// nil when the bracket does not close (then it is a literal `[`).
    private static func matchClass(_ pattern: ArraySlice<UInt8>, at start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var index = start + 1
        var negated = false
        if index < pattern.endIndex, pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var matched = false
        var first = true
        while index < pattern.endIndex {
            let character = pattern[index]
            if character == UInt8(ascii: "]"), !first {
                return (matched != negated, index + 1)
            }
            first = false
            if index + 2 < pattern.endIndex, pattern[index + 1] == UInt8(ascii: "-"), pattern[index + 2] != UInt8(ascii: "]") {
                // A range written backwards (`[z-a]`) holds nothing, as in the shell.
                let last = pattern[index + 2]
                if character <= last, (character...last).contains(byte) { matched = true }
                index += 3
            } else {
                if character == byte { matched = true }
                index += 1
            }
        }
        return nil
    }

    /// `a/{b,c}/{d,e}` as its four alternatives; nested braces expand too. A brace without a
    /// comma or without its closing brace stays literal.
    static func expandBraces(_ pattern: String) -> [String] {
        let characters = Array(pattern)
        var depth = 0
        var open: Int?
        var commas: [Int] = []
        for (index, character) in characters.enumerated() {
            switch character {
            case "{":
                if depth == 0 {
                    open = index
                    commas = []
                }
                depth += 1
            case ",":
                if depth == 1 { commas.append(index) }
            case "}":
                guard depth > 0 else { continue }
                depth -= 1
                if depth == 0, let start = open {
                    guard !commas.isEmpty else {
                        open = nil
                        continue
                    }
                    let prefix = String(characters[..<start])
                    let suffix = String(characters[(index + 1)...])
                    let bounds = [start] + commas + [index]
                    var result: [String] = []
                    for position in 0..<(bounds.count - 1) {
                        let option = String(characters[(bounds[position] + 1)..<bounds[position + 1]])
                        result += expandBraces(prefix + option + suffix)
                    }
                    return result
                }
            default:
                break
            }
        }
        return [pattern]
    }
}
