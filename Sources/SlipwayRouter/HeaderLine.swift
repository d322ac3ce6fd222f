/// One header line of a head, checked once as bytes (RFC 9112 5): a name of token characters, a
/// colon, a value of visible bytes, bytes past ASCII and tabs, and CRLF. A client's request and an
/// upstream's response are read with the same checks. A line starting with a space or tab is a
/// folded one (RFC 9112 5.2) and fails as a line without a name.
struct HeaderLine {
    let name: Range<Int>
    /// The value without the spaces and tabs around it.
    let value: Range<Int>
    /// Where the next line starts.
    let end: Int

    /// Reads the line at `start` of a head's `bytes`, which end with the head's empty line; nil
    /// with `failure` set when the line is malformed. The failure is noted rather than thrown, as
    /// the readers run inside `withUnsafeReadableBytes`.
    static func read(_ bytes: UnsafeRawBufferPointer, from start: Int, failure: inout String?) -> HeaderLine? {
        var index = start
        while index < bytes.count, bytes[index].isTokenCharacter {
            index += 1
        }
        guard index > start, bytes[index] == UInt8(ascii: ":") else {
            failure = "a header line without a name and a colon"
            return nil
        }
        let nameEnd = index
        index += 1
        // Visible bytes, bytes past ASCII and tabs pass; the first other byte must be the line's CR.
        // Eight at a time while a word holds no control byte and no DEL (its CR always stops it);
        // from the word that does, one at a time.
        while index + 8 <= bytes.count, !Self.holdsControlByte(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
            index += 8
        }
        while (bytes[index] >= 0x20 && bytes[index] != 0x7F) || bytes[index] == UInt8(ascii: "\t") {
            index += 1
        }
        guard bytes[index] == UInt8(ascii: "\r") else {
            failure = "a control byte in a header value"
            return nil
        }
        guard bytes[index + 1] == UInt8(ascii: "\n") else {
            failure = "a header line without its line end"
            return nil
        }
        return HeaderLine(name: start..<nameEnd, value: bytes.trimmed(nameEnd + 1..<index), end: index + 2)
    }

    /// Whether any byte of `word` is below 0x20 or is 0x7F: the classic tests for a byte less than
    /// a value and for a zero byte, exact as a yes or no.
    @inline(__always)
    private static func holdsControlByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let belowSpace = (word &- ones &* 0x20) & ~word & highBits
        let delete = word ^ (ones &* 0x7F)
        let isDelete = (delete &- ones) & ~delete & highBits
        return belowSpace | isDelete != 0
    }
}
