import Foundation

/// XML read as a sequence of start tags, end tags and text, checked for nesting: what a coverage
/// report needs. Foundation's `XMLParser` would do this, but it lives in FoundationXML, which
/// loads libxml2 and ICU into every `slipway` command's start-up, not only the ones reading XML.
/// DTDs, processing instructions and comments are skipped; entities are XML's five and character
/// references. The text is UTF-8 (or ASCII) or ISO-8859-1, as the declaration says.
struct XMLPieces {
    enum Piece: Equatable {
        case start(name: String, attributes: [String: String])
        case end(name: String)
        case text(String)
    }

    struct SyntaxError: Error, Equatable {
        let line: Int
        let message: String
    }

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var open: [String] = []
    private var closeNext: String?
    private var sawRoot = false
    /// The line where the piece `next()` last gave begins.
    private(set) var pieceLine = 1

    init(_ data: Data) throws(SyntaxError) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        switch Self.declaredEncoding(bytes) {
        case nil, "utf-8", "utf8", "us-ascii", "ascii":
            if let offset = Self.firstInvalidUTF8(bytes) {
                let line = bytes[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
                throw SyntaxError(line: line, message: "not UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)))")
            }
            self.bytes = bytes
        case "iso-8859-1", "latin1", "latin-1":
            self.bytes = Array(String(bytes.map { Character(Unicode.Scalar($0)) }).utf8)
        case let other?:
            throw SyntaxError(line: 1, message: "encoding \(other) is not supported (UTF-8 or ISO-8859-1)")
        }
    }

    /// The next piece, or nil at the end of a well-formed document.
    mutating func next() throws(SyntaxError) -> Piece? {
        if let name = closeNext {
            closeNext = nil
            open.removeLast()
            return .end(name: name)
        }
        while index < bytes.count {
            pieceLine = line
            if bytes[index] != UInt8(ascii: "<") {
                let text = try readText()
                if open.isEmpty {
                    guard text.allSatisfy(\.isWhitespace) else { throw fail("text outside the root element") }
                    continue
                }
                return .text(text)
            }
            if starts(with: "<?") {
                try skip(past: "?>", what: "processing instruction")
            } else if starts(with: "<!--") {
                try skip(past: "-->", what: "comment")
            } else if starts(with: "<![CDATA[") {
                guard !open.isEmpty else { throw fail("CDATA outside the root element") }
                index += 9
                let start = index
                try skip(past: "]]>", what: "CDATA section")
                return .text(String(decoding: bytes[start..<(index - 3)], as: UTF8.self))
            } else if starts(with: "<!") {
                try skipDeclaration()
            } else if starts(with: "</") {
                return try readEndTag()
            } else {
                return try readStartTag()
            }
        }
        if let unclosed = open.last { throw fail("truncated: <\(unclosed)> is not closed") }
        if !sawRoot { throw fail("no root element") }
        return nil
    }

    private mutating func readStartTag() throws(SyntaxError) -> Piece {
        if sawRoot && open.isEmpty { throw fail("a second root element") }
        index += 1
        let name = try readName("element")
        var attributes: [String: String] = [:]
        while true {
            skipWhitespace()
            guard index < bytes.count else { throw fail("truncated: <\(name)> is not finished") }
            switch bytes[index] {
            case UInt8(ascii: ">"):
                index += 1
                open.append(name)
                sawRoot = true
                return .start(name: name, attributes: attributes)
            case UInt8(ascii: "/"):
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { throw fail("'/' not followed by '>' in <\(name)>") }
                index += 2
                open.append(name)
                sawRoot = true
                closeNext = name
                return .start(name: name, attributes: attributes)
            default:
                let attribute = try readName("attribute")
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else { throw fail("attribute \(attribute) of <\(name)> has no value") }
                index += 1
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") else {
                    throw fail("the value of \(attribute) in <\(name)> is not quoted")
                }
                let quote = bytes[index]
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != quote {
                    if bytes[index] == UInt8(ascii: "<") { throw fail("'<' in the value of \(attribute) in <\(name)>") }
                    if bytes[index] == 0x0A { line += 1 }
                    index += 1
                }
                guard index < bytes.count else { throw fail("truncated: the value of \(attribute) in <\(name)> is not closed") }
                let value = try decoded(bytes[start..<index])
                index += 1
                guard attributes.updateValue(value, forKey: attribute) == nil else { throw fail("attribute \(attribute) twice in <\(name)>") }
            }
        }
    }

    private mutating func readEndTag() throws(SyntaxError) -> Piece {
        index += 2
        let name = try readName("end tag")
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { throw fail("truncated: </\(name)> is not finished") }
        index += 1
        guard let expected = open.last else { throw fail("</\(name)> closes nothing") }
        guard expected == name else { throw fail("</\(name)> where </\(expected)> was expected") }
        open.removeLast()
        return .end(name: name)
    }

    private mutating func readText() throws(SyntaxError) -> String {
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "<") {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        return try decoded(bytes[start..<index])
    }

    private mutating func readName(_ what: String) throws(SyntaxError) -> String {
        let start = index
        while index < bytes.count, !Self.endsName(bytes[index]) { index += 1 }
        guard index > start else {
            throw fail(index < bytes.count ? "a \(what) without a name" : "truncated: a \(what) is not finished")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// `<!DOCTYPE ...>`, with an internal subset in brackets.
    private mutating func skipDeclaration() throws(SyntaxError) {
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ">") where depth <= 0:
                index += 1
                return
            case 0x0A: line += 1
            default: break
            }
            index += 1
        }
        throw fail("truncated: a <! declaration is not closed")
    }

    private mutating func skip(past end: String, what: String) throws(SyntaxError) {
        let end = Array(end.utf8)
        while index < bytes.count {
            if bytes[index] == end[0], bytes[index...].starts(with: end) {
                index += end.count
                return
            }
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
        throw fail("truncated: a \(what) is not closed")
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, Self.isWhitespace(bytes[index]) {
            if bytes[index] == 0x0A { line += 1 }
            index += 1
        }
    }

    private func starts(with prefix: StaticString) -> Bool {
        let prefix = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
        return bytes[index...].starts(with: prefix)
    }

    /// Text with its entity and character references replaced.
    private func decoded(_ raw: ArraySlice<UInt8>) throws(SyntaxError) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var result = ""
        var rest = raw[...]
        while let ampersand = rest.firstIndex(of: UInt8(ascii: "&")) {
            result += String(decoding: rest[..<ampersand], as: UTF8.self)
            guard let semicolon = rest[ampersand...].firstIndex(of: UInt8(ascii: ";")), semicolon - ampersand <= 10 else {
                throw fail("'&' that starts no entity")
            }
            let entity = String(decoding: rest[(ampersand + 1)..<semicolon], as: UTF8.self)
            guard let character = Self.character(of: entity) else { throw fail("unknown entity &\(entity);") }
            result.append(character)
            rest = rest[(semicolon + 1)...]
        }
        return result + String(decoding: rest, as: UTF8.self)
    }

    private static func character(of entity: String) -> Character? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            let number: UInt32?
            if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                number = UInt32(entity.dropFirst(2), radix: 16)
            } else if entity.hasPrefix("#") {
                number = UInt32(entity.dropFirst())
            } else {
                number = nil
            }
            return number.flatMap(Unicode.Scalar.init).map(Character.init)
        }
    }

    private func fail(_ message: String) -> SyntaxError {
        SyntaxError(line: line, message: message)
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func endsName(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
            || byte == UInt8(ascii: "<") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }

    /// The offset of the first byte that does not belong to a UTF-8 character.
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var decoder = Unicode.UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// The `encoding` of `<?xml ... ?>`, lowercased.
    private static func declaredEncoding(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(200), as: UTF8.self)
        guard head.hasPrefix("<?xml"), let end = head.range(of: "?>"),
              let encoding = head[..<end.lowerBound].range(of: "encoding=")
        else { return nil }
        return head[encoding.upperBound..<end.lowerBound].dropFirst().prefix { $0 != "\"" && $0 != "'" }.lowercased()
    }
}
