/// Splits PostgreSQL SQL into tokens, following the server's lexer (scan.l) closely enough that
/// statement boundaries and key words are found where the server finds them: nested block
/// comments, quoted identifiers with doubled quotes, standard strings (a backslash is a plain
/// character), `E''` strings with backslash escapes, and dollar-quoted bodies with tags.
/// Whitespace is dropped; comments are kept, for `slipway:allow` comments.
public enum SQLTokenizer {
    public static func tokens(in text: String) -> [SQLToken] {
        var scanner = Scanner(text: text)
        var tokens: [SQLToken] = []
        while let token = scanner.next() { tokens.append(token) }
        return tokens
    }

    private struct Scanner {
        let text: String
        let bytes: [UInt8]
        var offset = 0
        var line = 1
        var column = 1

        init(text: String) {
            self.text = text
            self.bytes = Array(text.utf8)
            // A leading byte-order mark is not part of the SQL.
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
        }

        func byte(at index: Int) -> UInt8? { index < bytes.count ? bytes[index] : nil }
        var current: UInt8? { byte(at: offset) }
        var following: UInt8? { byte(at: offset + 1) }

        mutating func advance(_ count: Int = 1) {
            for _ in 0..<count where offset < bytes.count {
                let byte = bytes[offset]
                if byte == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
                offset += 1
            }
        }

        func substring(_ start: Int, _ end: Int) -> Substring {
            let utf8 = text.utf8
            let from = utf8.index(utf8.startIndex, offsetBy: start)
            let to = utf8.index(from, offsetBy: end - start)
            return text[from..<to]
        }

        mutating func next() -> SQLToken? {
            skipWhitespace()
            guard let byte = current else { return nil }
            let start = offset
            let startLine = line
            let startColumn = column
            var kind = SQLToken.Kind.punctuation
            var terminated = true
            switch byte {
            case UInt8(ascii: "-") where following == UInt8(ascii: "-"):
                kind = .lineComment
                while let byte = current, byte != UInt8(ascii: "\n") { advance() }
            case UInt8(ascii: "/") where following == UInt8(ascii: "*"):
                kind = .blockComment
                terminated = scanBlockComment()
            case UInt8(ascii: "'"):
                kind = .string
                terminated = scanQuoted(UInt8(ascii: "'"), backslashEscapes: false)
            case UInt8(ascii: "\""):
                kind = .quotedIdentifier
                terminated = scanQuoted(UInt8(ascii: "\""), backslashEscapes: false)
            case _ where (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) && following == UInt8(ascii: "'"):
                kind = .string
                advance()
                terminated = scanQuoted(UInt8(ascii: "'"), backslashEscapes: true)
            case _ where "bBxXnN".utf8.contains(byte) && following == UInt8(ascii: "'"):
                kind = .string
                advance()
                terminated = scanQuoted(UInt8(ascii: "'"), backslashEscapes: false)
            case _ where (byte == UInt8(ascii: "u") || byte == UInt8(ascii: "U")) && following == UInt8(ascii: "&")
                && (self.byte(at: offset + 2) == UInt8(ascii: "'") || self.byte(at: offset + 2) == UInt8(ascii: "\"")):
                let quote = self.byte(at: offset + 2) ?? UInt8(ascii: "'")
                kind = quote == UInt8(ascii: "'") ? .string : .quotedIdentifier
                advance(2)
                terminated = scanQuoted(quote, backslashEscapes: false)
            case UInt8(ascii: "$"):
                if let digit = following, Self.isDigit(digit) {
                    kind = .parameter
                    advance()
                    while let byte = current, Self.isDigit(byte) { advance() }
                } else if let tagEnd = dollarTagEnd() {
                    kind = .dollarString
                    terminated = scanDollarBody(tag: Array(bytes[offset..<tagEnd]))
                } else {
                    advance()
                }
            case _ where Self.isIdentifierStart(byte):
                kind = .word
                while let byte = current, Self.isIdentifierStart(byte) || Self.isDigit(byte) || byte == UInt8(ascii: "$") {
                    advance()
                }
            case _ where Self.isDigit(byte) || (byte == UInt8(ascii: ".") && following.map(Self.isDigit) == true):
                kind = .number
                scanNumber()
            case UInt8(ascii: ":") where following == UInt8(ascii: ":"):
                advance(2)
            case _ where Self.isOperator(byte):
                // Operators run together (`||`, `->>`, `<=`), but never across a comment's start.
                advance()
                while let byte = current, Self.isOperator(byte),
                      !(byte == UInt8(ascii: "-") && following == UInt8(ascii: "-")),
                      !(byte == UInt8(ascii: "/") && following == UInt8(ascii: "*")) {
                    advance()
                }
            default:
                advance()
            }
            return SQLToken(
                kind: kind, text: substring(start, offset), line: startLine, column: startColumn, isTerminated: terminated)
        }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || (0x09...0x0D).contains(byte) { advance() }
        }

        /// Block comments nest in PostgreSQL: `/* a /* b */ c */` is one comment.
        mutating func scanBlockComment() -> Bool {
            advance(2)
            var depth = 1
            while let byte = current {
                if byte == UInt8(ascii: "/"), following == UInt8(ascii: "*") {
                    depth += 1
                    advance(2)
                } else if byte == UInt8(ascii: "*"), following == UInt8(ascii: "/") {
                    depth -= 1
                    advance(2)
                    if depth == 0 { return true }
                } else {
                    advance()
                }
            }
            return false
        }

        /// From an opening quote to its closing one; a doubled quote stands for itself.
        mutating func scanQuoted(_ quote: UInt8, backslashEscapes: Bool) -> Bool {
            advance()
            while let byte = current {
                if backslashEscapes && byte == UInt8(ascii: "\\") {
                    advance(2)
                } else if byte == quote {
                    advance()
                    guard current == quote else { return true }
                    advance()
                } else {
                    advance()
                }
            }
            return false
        }

        /// The end of a dollar-quote tag (`$$`, `$body$`) starting here, or nil when this `$` starts none.
        func dollarTagEnd() -> Int? {
            var index = offset + 1
            if let first = byte(at: index), Self.isIdentifierStart(first) {
                while let byte = byte(at: index), Self.isIdentifierStart(byte) || Self.isDigit(byte) { index += 1 }
            }
            return byte(at: index) == UInt8(ascii: "$") ? index + 1 : nil
        }

        mutating func scanDollarBody(tag: [UInt8]) -> Bool {
            advance(tag.count)
            while offset < bytes.count {
                if bytes[offset] == UInt8(ascii: "$"), bytes[offset...].starts(with: tag) {
                    advance(tag.count)
                    return true
                }
                advance()
            }
            return false
        }

        mutating func scanNumber() {
            while let byte = current, Self.isDigit(byte) || byte == UInt8(ascii: "_") { advance() }
            if current == UInt8(ascii: "."), following != UInt8(ascii: ".") {
                advance()
                while let byte = current, Self.isDigit(byte) || byte == UInt8(ascii: "_") { advance() }
            }
            if let byte = current, byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                let sign = following == UInt8(ascii: "+") || following == UInt8(ascii: "-") ? 1 : 0
                if let digit = self.byte(at: offset + 1 + sign), Self.isDigit(digit) {
                    advance(1 + sign)
                    while let byte = current, Self.isDigit(byte) { advance() }
                }
            }
        }

        static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

        /// Letters, `_` and every non-ASCII byte (PostgreSQL accepts any of them in names).
        static func isIdentifierStart(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || byte == UInt8(ascii: "_") || byte >= 0x80
        }

        static func isOperator(_ byte: UInt8) -> Bool {
            "+-*/<>=~!@#%^&|`?".utf8.contains(byte)
        }
    }
}
