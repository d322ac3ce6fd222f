/// One lexical token of PostgreSQL SQL, with the place it starts in its text.
public struct SQLToken: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An unquoted identifier or key word, as written (compare with `keyword`).
        case word
        /// `"Name"`, `U&"..."`: the text keeps its quotes.
        case quotedIdentifier
        /// `'...'`, `E'...'`, `B'...'`, `X'...'`, `N'...'`, `U&'...'`.
        case string
        /// `$$...$$` or `$tag$...$tag$`.
        case dollarString
        case number
        /// `$1`.
        case parameter
        /// `(`, `)`, `,`, `;`, `[`, `]`, `.`, `:`, `::` and operators such as `=` or `||`.
        case punctuation
        case lineComment
        case blockComment
    }

    public var kind: Kind
    public var text: Substring
    /// 1-based line and column (in characters) where the token starts.
    public var line: Int
    public var column: Int
    /// False for a string, quoted identifier, dollar-quoted body or comment that the text ends inside.
    public var isTerminated = true

    public var isComment: Bool { kind == .lineComment || kind == .blockComment }

    /// The upper-cased word for an unquoted word, nil for anything else: SQL key words and
    /// unquoted names compare case-insensitively.
    public var keyword: String? { kind == .word ? text.uppercased() : nil }

    /// The identifier this token names, folded as PostgreSQL folds it (unquoted: lower case).
    public var identifier: String? {
        switch kind {
        case .word: return text.lowercased()
        case .quotedIdentifier:
            guard text.hasPrefix("\""), text.count >= 2 else { return String(text) }
            return text.dropFirst().dropLast().replacingOccurrences(of: "\"\"", with: "\"")
        default: return nil
        }
    }

    /// The body of a dollar-quoted string, and where that body starts.
    public var dollarBody: (text: Substring, line: Int, column: Int)? {
        guard kind == .dollarString, isTerminated, let open = text.dropFirst().firstIndex(of: "$") else { return nil }
        let tagLength = text.distance(from: text.startIndex, to: open) + 1
        let body = text.dropFirst(tagLength).dropLast(tagLength)
        return (body, line, column + tagLength)
    }

    public init(kind: Kind, text: Substring, line: Int, column: Int, isTerminated: Bool = true) {
        self.kind = kind
        self.text = text
        self.line = line
        self.column = column
        self.isTerminated = isTerminated
    }
}
