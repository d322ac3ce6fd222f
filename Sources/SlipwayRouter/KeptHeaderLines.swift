#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which header lines of a head go on, by their index among the head's lines, and the bytes they
/// take with their line ends. Most heads have under 64 lines: a bit each, nothing allocated.
struct KeptHeaderLines {
    private(set) var byteCount = 0
    private var omitted: UInt64 = 0
    private var omittedPast64: [Bool] = []
    private var count = 0

    /// Notes the next line, of `length` bytes with its line end.
    mutating func append(isKept: Bool, length: Int) {
        if count < 64 {
            if !isKept { omitted |= 1 << UInt64(count) }
        } else {
            omittedPast64.append(!isKept)
        }
        if isKept { byteCount += length }
        count += 1
    }

    /// Leaves out the line at `index`, of `length` bytes, noted as kept before.
    mutating func omit(_ index: Int, length: Int) {
        guard contains(index) else { return }
        if index < 64 {
            omitted |= 1 << UInt64(index)
        } else {
            omittedPast64[index - 64] = true
        }
        byteCount -= length
    }

    func contains(_ index: Int) -> Bool {
        index < 64 ? omitted & (1 << UInt64(index)) == 0 : !omittedPast64[index - 64]
    }

    /// Copies the kept lines of a head's `source`, whose lines start at `linesStart`, runs of kept
    /// lines in one copy each; the empty line that ends the head is not copied. Lines are passed
    /// over with `memchr` (a head's bytes were checked, so each ends with a line feed) until no
    /// left-out line is ahead; the rest goes in one copy.
    func copy(
        from source: UnsafeRawBufferPointer, linesStart: Int, to destination: UnsafeMutableRawBufferPointer,
        at offset: inout Int
    ) {
        var lineStart = linesStart
        var runStart = linesStart
        var index = 0
        let end = source.count - 2
        while lineStart < end {
            if count <= 64, omitted >> UInt64(index) == 0 {
                break
            }
            guard let base = source.baseAddress,
                let lineFeed = memchr(base + lineStart, Int32(UInt8(ascii: "\n")), end - lineStart)
            else { break }
            let lineEnd = base.distance(to: UnsafeRawPointer(lineFeed)) + 1
            if !contains(index) {
                destination.copy(source[runStart..<lineStart], at: &offset)
                runStart = lineEnd
            }
            lineStart = lineEnd
            index += 1
        }
        destination.copy(source[runStart..<end], at: &offset)
    }

    /// A second pass over a head's lines (already checked), only for a Connection header that
    /// lists other names: the lines of those names go too.
    mutating func omitLines(named names: [Range<Int>], in bytes: UnsafeRawBufferPointer, linesStart: Int) {
        var lineStart = linesStart
        var index = 0
        while lineStart < bytes.count - 2 {
            var nameEnd = lineStart
            while bytes[nameEnd] != UInt8(ascii: ":") { nameEnd += 1 }
            var lineEnd = nameEnd
            while bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            lineEnd += 1
            let name = lineStart..<nameEnd
            if names.contains(where: { bytes.equalIgnoringASCIICase($0, name) }) {
                omit(index, length: lineEnd - lineStart)
            }
            lineStart = lineEnd
            index += 1
        }
    }
}
