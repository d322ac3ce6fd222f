import Foundation

/// Which SlipwayCore folder names a type declared in a folder above it: a token scan of the
/// sources, not a compiler, so it sees names written out and not types reached by inference.
///
/// - Declarations: `struct`, `enum`, `class`, `actor`, `protocol` and `typealias`, at the top level
///   or nested in a type or in an `extension` (qualified, `ProductionGate.Override`), belong to the
///   folder of the file declaring them. Private and function-local types stay in their file.
/// - References: identifiers outside comments and string literals (interpolations are code), with
///   `A.B.C` resolved to the longest declared prefix. A name the file's own folder declares (at any
///   depth) is its own, so a local `Kind` never counts as another folder's.
/// - `handedDown` names types declared high that lower folders may still name, down to a given
///   folder: the `Engine` is the context (workspace, store, clock, output) the parts that act are
///   handed, so Targets and above may hold one; Support, Workspace and Store may not.
/// - `extension Engine` is no reference at all: `Engine` is the facade every folder adds its API
///   to (`Release/Engine+Drift.swift` is Release code). Extending any other type from below it is.
struct SourceLayering {
    /// Lowest first; folders in one group are peers and may name each other. Files directly in
    /// SlipwayCore are `Engine`.
    var order: [[String]]
    /// Types that folders from the given one up may name though they are declared higher.
    var handedDown: [String: String] = [:]

    struct BackEdge: Hashable, Comparable, CustomStringConvertible {
        var file: String
        var folder: String
        var names: [String]

        var key: String { "\(file) -> \(folder)" }
        var description: String { "\(key) (\(names.joined(separator: ", ")))" }
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.key < rhs.key }
    }

    func level(of folder: String) -> Int? { order.firstIndex { $0.contains(folder) } }

    /// The folder a path relative to SlipwayCore belongs to.
    static func folder(of path: String) -> String {
        let parts = path.split(separator: "/")
        return parts.count > 1 ? String(parts[0]) : "Engine"
    }

    /// Every back edge among `files` (paths relative to SlipwayCore, and their text).
    func backEdges(in files: [(path: String, text: String)]) -> [BackEdge] {
        let scanned = files.map { (path: $0.path, folder: Self.folder(of: $0.path), scan: Scan(Self.code(of: $0.text))) }
        var owner: [String: String] = [:]
        var ownNames: [String: Set<String>] = [:]
        for file in scanned {
            for declaration in file.scan.declarations {
                ownNames[file.folder, default: []].insert(declaration.name)
                if declaration.visible { owner[declaration.qualified] = file.folder }
            }
        }
        var edges: [BackEdge] = []
        for file in scanned {
            guard let own = level(of: file.folder) else { continue }
            var named: [String: Set<String>] = [:]
            for chain in file.scan.references where !(ownNames[file.folder]?.contains(chain[0]) ?? false) {
                let prefixes = (1...chain.count).reversed().map { chain.prefix($0).joined(separator: ".") }
                guard let name = prefixes.first(where: { owner[$0] != nil }), let folder = owner[name],
                      let other = level(of: folder), other > own,
                      !(handedDown[name].flatMap(level(of:)).map { own >= $0 } ?? false) else { continue }
                named[folder, default: []].insert(name)
            }
            edges += named.map { BackEdge(file: file.path, folder: $0.key, names: $0.value.sorted()) }
        }
        return edges.sorted()
    }

    /// `text` with comments and string literals blanked (newlines kept), interpolations left as code.
    static func code(of text: String) -> String {
        let bytes = Array(text.utf8)
        var out = bytes
        enum Context { case code(depth: Int), string(hashes: Int, multiline: Bool) }
        var stack: [Context] = [.code(depth: 0)]
        func blank(_ range: Range<Int>) {
            for index in range where index < out.count && out[index] != UInt8(ascii: "\n") { out[index] = UInt8(ascii: " ") }
        }
        func at(_ index: Int, _ text: String) -> Bool {
            let wanted = Array(text.utf8)
            return index + wanted.count <= bytes.count && Array(bytes[index..<index + wanted.count]) == wanted
        }
        var index = 0
        while index < bytes.count {
            switch stack[stack.count - 1] {
            case let .string(hashes, multiline):
                let fence = String(repeating: "#", count: hashes)
                if at(index, "\\" + fence + "(") {
                    blank(index..<index + hashes + 2)
                    index += hashes + 2
                    stack.append(.code(depth: 0))
                } else if hashes == 0, bytes[index] == UInt8(ascii: "\\") {
                    blank(index..<index + 2)
                    index += 2
                } else if at(index, (multiline ? "\"\"\"" : "\"") + fence) {
                    let length = (multiline ? 3 : 1) + hashes
                    blank(index..<index + length)
                    index += length
                    stack.removeLast()
                } else {
                    blank(index..<index + 1)
                    index += 1
                }
            case let .code(depth):
                if at(index, "//") {
                    let end = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                    blank(index..<end)
                    index = end
                } else if at(index, "/*") {
                    var nesting = 0
                    var end = index
                    repeat {
                        if at(end, "/*") { nesting += 1; end += 2 } else if at(end, "*/") { nesting -= 1; end += 2 } else { end += 1 }
                    } while nesting > 0 && end < bytes.count
                    blank(index..<end)
                    index = end
                } else if bytes[index] == UInt8(ascii: "#") || bytes[index] == UInt8(ascii: "\"") {
                    let hashes = bytes[index...].prefix { $0 == UInt8(ascii: "#") }.count
                    guard at(index + hashes, "\"") else { index += 1; continue }
                    let multiline = at(index + hashes, "\"\"\"")
                    let length = hashes + (multiline ? 3 : 1)
                    blank(index..<index + length)
                    index += length
                    stack.append(.string(hashes: hashes, multiline: multiline))
                } else if bytes[index] == UInt8(ascii: "("), stack.count > 1 {
                    stack[stack.count - 1] = .code(depth: depth + 1)
                    index += 1
                } else if bytes[index] == UInt8(ascii: ")"), stack.count > 1 {
                    if depth == 0 {
                        blank(index..<index + 1)
                        stack.removeLast()
                    } else {
                        stack[stack.count - 1] = .code(depth: depth - 1)
                    }
                    index += 1
                } else {
                    index += 1
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The declarations and type-name references of one file's code.
    struct Scan {
        struct Declaration {
            var name: String
            var qualified: String
            /// Whether other files can name it: not private, not inside a function.
            var visible: Bool
        }

        enum Token: Equatable {
            case word(String, afterDot: Bool)
            case symbol(Character)
        }

        private(set) var declarations: [Declaration] = []
        /// Each reference as its dotted chain, `["ProductionGate", "Override"]`.
        private(set) var references: [[String]] = []

        static let typeKeywords: Set<String> = ["struct", "enum", "class", "actor", "protocol", "typealias"]
        static let modifiers: Set<String> = [
            "public", "internal", "package", "private", "fileprivate", "open", "final", "indirect", "nonisolated",
            "static", "distributed",
        ]
        static let notNames: Set<String> = ["func", "var", "let", "init", "subscript", "static", "override", "final", "case"]

        init(_ code: String) {
            let tokens = Self.tokens(of: code)
            enum Scope { case type(String, visible: Bool), other }
            var scopes: [Scope] = []
            var pending: Scope?
            var index = 0
            while index < tokens.count {
                switch tokens[index] {
                case .symbol("{"):
                    scopes.append(pending ?? .other)
                    pending = nil
                case .symbol("}"):
                    if !scopes.isEmpty { scopes.removeLast() }
                case .symbol:
                    break
                case let .word(word, afterDot):
                    if !afterDot, Self.typeKeywords.contains(word) || word == "extension",
                       index + 1 < tokens.count, case let .word(name, false) = tokens[index + 1],
                       !Self.notNames.contains(name), Self.startsDeclaration(tokens, at: index) {
                        if word == "extension" {
                            let (chain, end) = Self.chain(tokens, from: index + 1)
                            if chain != ["Engine"] { references.append(chain) }
                            pending = .type(chain.joined(separator: "."), visible: true)
                            index = end
                        } else {
                            let hidden = Self.modifiers(tokens, before: index).contains { $0 == "private" || $0 == "fileprivate" }
                            var outer: String?
                            var visible = !hidden
                            for scope in scopes {
                                switch scope {
                                case let .type(qualified, scopeVisible):
                                    outer = qualified
                                    visible = visible && scopeVisible
                                case .other:
                                    visible = false
                                }
                            }
                            let qualified = outer.map { "\($0).\(name)" } ?? name
                            declarations.append(Declaration(name: name, qualified: qualified, visible: visible))
                            if word != "typealias" { pending = .type(qualified, visible: visible) }
                            index += 1
                        }
                    } else if !afterDot, word.first?.isUppercase == true {
                        references.append(Self.chain(tokens, from: index).names)
                    }
                }
                index += 1
            }
        }

        /// Whether the keyword at `index` opens a declaration rather than being an argument label
        /// (`f(actor name:)`) or a member (`x.actor`).
        static func startsDeclaration(_ tokens: [Token], at index: Int) -> Bool {
            var before = index - 1
            while before >= 0, case let .word(word, false) = tokens[before], modifiers.contains(word) { before -= 1 }
            guard before >= 0 else { return true }
            return ![.symbol("("), .symbol(","), .symbol(":"), .symbol("."), .symbol("=")].contains(tokens[before])
        }

        static func modifiers(_ tokens: [Token], before index: Int) -> [String] {
            var found: [String] = []
            var before = index - 1
            while before >= 0, case let .word(word, false) = tokens[before], modifiers.contains(word) {
                found.append(word)
                before -= 1
            }
            return found
        }

        /// The dotted name starting at `index`, and the index of its last word.
        static func chain(_ tokens: [Token], from index: Int) -> (names: [String], end: Int) {
            guard case let .word(first, _) = tokens[index] else { return ([], index) }
            var chain = [first]
            var end = index
            while end + 2 < tokens.count, tokens[end + 1] == .symbol("."), case let .word(word, true) = tokens[end + 2] {
                chain.append(word)
                end += 2
            }
            return (chain, end)
        }

        /// Identifiers (a backquoted one without its quotes) and single-character symbols; a word
        /// right after `.` is a member.
        static func tokens(of code: String) -> [Token] {
            var tokens: [Token] = []
            var word = ""
            var afterDot = false
            var lastSymbol: Character?
            func flush() {
                guard !word.isEmpty else { return }
                tokens.append(.word(word, afterDot: afterDot))
                word = ""
            }
            for character in code {
                if character.isLetter || character == "_" || (character.isNumber && !word.isEmpty) {
                    if word.isEmpty { afterDot = lastSymbol == "." }
                    word.append(character)
                } else {
                    flush()
                    if character == "`" || character.isWhitespace { continue }
                    tokens.append(.symbol(character))
                    lastSymbol = character
                }
                if !word.isEmpty { lastSymbol = nil }
            }
            flush()
            return tokens
        }
    }
}
