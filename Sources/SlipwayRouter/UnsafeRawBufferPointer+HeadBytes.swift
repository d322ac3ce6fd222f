extension UnsafeRawBufferPointer {
    /// The value of a `Content-Length` header, which must agree with the head's `earlier` one if it
    /// had one (RFC 9112 6.3); nil with `failure` set otherwise. Requests and responses read it alike.
    func contentLength(_ value: Range<Int>, agreeingWith earlier: Int?, failure: inout String?) -> Int? {
        guard let length = contentLength(value, failure: &failure) else { return nil }
        guard earlier == nil || earlier == length else {
            failure = "two different Content-Length values"
            return nil
        }
        return length
    }

    /// The value of a `Content-Length` header: decimal digits, none too many for `Int`; nil with
    /// `failure` set otherwise.
    private func contentLength(_ value: Range<Int>, failure: inout String?) -> Int? {
        guard !value.isEmpty else {
            failure = "an empty Content-Length"
            return nil
        }
        var length = 0
        for index in value {
            let byte = self[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), length < Int.max / 10 - 9 else {
                failure = "a Content-Length that is not a number"
                return nil
            }
            length = length * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return length
    }

    /// `range` without the spaces and tabs around it.
    func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, self[lower] == UInt8(ascii: " ") || self[lower] == UInt8(ascii: "\t") { lower += 1 }
        while upper > lower, self[upper - 1] == UInt8(ascii: " ") || self[upper - 1] == UInt8(ascii: "\t") { upper -= 1 }
        return lower..<upper
    }

    /// Whether the bytes in `range` are `lowercase` (lowercase letters, digits and `-`) in any case.
    /// Setting bit 5 lowercases a letter and changes no `tchar` or visible byte into another
    /// of those; only CR would become `-`, and no range here holds one.
    func equalsLowercased(_ range: Range<Int>, _ lowercase: StaticString) -> Bool {
        guard range.count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { expected in
            var index = 0
            while index < expected.count {
                if self[range.lowerBound + index] | 0x20 != expected[index] { return false }
                index += 1
            }
            return true
        }
    }

    func equalIgnoringASCIICase(_ left: Range<Int>, _ right: Range<Int>) -> Bool {
        guard left.count == right.count else { return false }
        var index = 0
        while index < left.count {
            if self[left.lowerBound + index].lowercasedASCII != self[right.lowerBound + index].lowercasedASCII {
                return false
            }
            index += 1
        }
        return true
    }

    /// The comma-separated elements of a list value, spaces trimmed, empty ones left out.
    func tokens(in range: Range<Int>) -> [Range<Int>] {
        var tokens: [Range<Int>] = []
        var start = range.lowerBound
        for index in range.lowerBound...range.upperBound where index == range.upperBound || self[index] == UInt8(ascii: ",") {
            var lower = start
            var upper = index
            while lower < upper, self[lower] == UInt8(ascii: " ") || self[lower] == UInt8(ascii: "\t") { lower += 1 }
            while upper > lower, self[upper - 1] == UInt8(ascii: " ") || self[upper - 1] == UInt8(ascii: "\t") { upper -= 1 }
            if lower < upper {
                tokens.append(lower..<upper)
            }
            start = index + 1
        }
        return tokens
    }
}

extension UInt8 {
    /// A `tchar` of RFC 9110 5.6.2, which header names are made of.
    var isTokenCharacter: Bool {
        switch self {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    var lowercasedASCII: UInt8 {
        self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") ? self | 0x20 : self
    }
}

extension UnsafeMutableRawBufferPointer {
    /// Copies `source` in at `offset`, and moves `offset` past it. A head is written in many short
    /// pieces (a method, a separator, a line end, a run of lines): those of up to 16 bytes go byte
    /// by byte, which costs less than a call to `memcpy`.
    @inline(__always)
    func copy(_ source: Slice<UnsafeRawBufferPointer>, at offset: inout Int) {
        let count = source.count
        if count <= 16 {
            var index = 0
            while index < count {
                self[offset + index] = source[source.startIndex + index]
                index += 1
            }
        } else {
            UnsafeMutableRawBufferPointer(rebasing: self[offset..<offset + count])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: source))
        }
        offset += count
    }
}
