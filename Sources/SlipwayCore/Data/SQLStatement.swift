/// One SQL statement of a script: its tokens up to (not including) the `;` that ends it, with
/// the comments before it and a line comment after the `;` on the same line.
public struct SQLStatement: Sendable, Equatable {
    public var tokens: [SQLToken]

    /// The tokens that are not comments.
    public var code: [SQLToken] { tokens.filter { !$0.isComment } }
    public var comments: [SQLToken] { tokens.filter(\.isComment) }

    /// Where the statement's first code token is.
    public var line: Int { code.first?.line ?? tokens.first?.line ?? 1 }
    public var column: Int { code.first?.column ?? tokens.first?.column ?? 1 }

    public init(tokens: [SQLToken]) {
        self.tokens = tokens
    }

    /// The statements of `text`, split at each `;` outside strings, comments, quoted names and
    /// dollar-quoted bodies, and outside the `BEGIN ATOMIC ... END` body of a SQL-standard
    /// function. Pieces holding only comments are dropped.
    public static func split(_ text: String) -> [SQLStatement] {
        split(SQLTokenizer.tokens(in: text))
    }

    public static func split(_ tokens: [SQLToken]) -> [SQLStatement] {
        var statements: [SQLStatement] = []
        var current: [SQLToken] = []
        var atomicDepth = 0
        var caseDepth = 0
        var previousKeyword: String?
        var endedOnLine: Int?
        for token in tokens {
            if let line = endedOnLine, token.kind == .lineComment, token.line == line, !statements.isEmpty {
                statements[statements.count - 1].tokens.append(token)
                continue
            }
            endedOnLine = nil
            if token.kind == .punctuation, token.text == ";", atomicDepth == 0 {
                if current.contains(where: { !$0.isComment }) { statements.append(SQLStatement(tokens: current)) }
                current = []
                previousKeyword = nil
                caseDepth = 0
                endedOnLine = token.line
                continue
            }
            current.append(token)
            guard let keyword = token.keyword else {
                if !token.isComment { previousKeyword = nil }
                continue
            }
            switch keyword {
            case "ATOMIC" where previousKeyword == "BEGIN" && isRoutineDefinition(current): atomicDepth += 1
            case "CASE" where atomicDepth > 0: caseDepth += 1
            case "END" where atomicDepth > 0:
                if caseDepth > 0 { caseDepth -= 1 } else { atomicDepth -= 1 }
            default: break
            }
            previousKeyword = keyword
        }
        if current.contains(where: { !$0.isComment }) { statements.append(SQLStatement(tokens: current)) }
        return statements
    }

    private static func isRoutineDefinition(_ tokens: [SQLToken]) -> Bool {
        let words = tokens.lazy.filter { !$0.isComment }.prefix(4).compactMap(\.keyword)
        guard words.first == "CREATE" else { return false }
        return words.contains("FUNCTION") || words.contains("PROCEDURE")
    }
}

extension SQLStatement {
    /// Whether PostgreSQL refuses to run the statement inside a transaction block
    /// (`CREATE INDEX CONCURRENTLY`, `VACUUM`, ...), so its file must run outside one.
    public var cannotRunInTransaction: Bool {
        let words = code.prefix(4).map { $0.keyword ?? "" }
        func starts(_ prefix: String...) -> Bool { words.starts(with: prefix) }
        if starts("CREATE", "INDEX", "CONCURRENTLY") || starts("CREATE", "UNIQUE", "INDEX", "CONCURRENTLY")
            || starts("DROP", "INDEX", "CONCURRENTLY") || starts("VACUUM") || starts("CREATE", "DATABASE")
            || starts("DROP", "DATABASE") || starts("ALTER", "SYSTEM") || starts("CREATE", "TABLESPACE")
            || starts("DROP", "TABLESPACE") {
            return true
        }
        return words.first == "REINDEX" && code.contains { $0.keyword == "CONCURRENTLY" }
    }
}

extension SQLStatement {
    /// The statement's text as written, from its first code token to its last token (the `;`
    /// excluded), for sending to the server.
    public var sql: Substring {
        guard let first = code.first, let last = code.last else { return "" }
        return first.text.base[first.text.startIndex..<last.text.endIndex]
    }
}
