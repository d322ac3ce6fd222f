import NIOCore

/// How far a chunked body (RFC 9112 7.1) has been read, kept between reads so that any split of
/// the bytes reads the same: chunk sizes and their extensions, the data, the trailer lines.
/// Nothing is buffered; extensions and trailers are checked for control bytes and passed over.
struct ChunkedBody {
    /// Why the body cannot be read; each parser tells its own side of it.
    struct Malformed: Error {
        let reason: String
    }

    private enum Step {
        case size
        case sizeExtension
        case sizeLineEnd
        case data
        case dataCR
        case dataLF
        case trailerLineStart
        case trailerLine
        case trailerLineEnd
        case lastLineEnd
        case done
        case malformed(String)
    }

    private var step = Step.size
    private var hasDigit = false
    /// The chunk's size while reading it, then the data left of it.
    private var size = 0

    /// The last chunk and the trailers have been read.
    var isDone: Bool {
        if case .done = step { true } else { false }
    }

    /// Takes the next bytes of the body from `buffer`: with `passing`, everything up to its end as
    /// it is, chunk sizes and all, in one slice; otherwise the data of one chunk at most, the
    /// framing before it read and dropped. Nil when `buffer` holds nothing of either.
    mutating func take(passing: Bool, from buffer: inout ByteBuffer) throws(Malformed) -> ByteBuffer? {
        if passing {
            let count = buffer.withUnsafeReadableBytes { bytes in
                var offset = 0
                while offset < bytes.count, !isDone, !isMalformed {
                    if case .data = step {
                        let taken = min(size, bytes.count - offset)
                        takeData(taken)
                        offset += taken
                    } else {
                        offset += readFraming(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                    }
                }
                return offset
            }
            try checkWellFormed()
            return count > 0 ? buffer.readSlice(length: count) : nil
        }
        while buffer.readableBytes > 0, !isDone {
            if case .data = step {
                let taken = min(size, buffer.readableBytes)
                takeData(taken)
                return buffer.readSlice(length: taken)
            }
            let count = buffer.withUnsafeReadableBytes { readFraming($0) }
            try checkWellFormed()
            buffer.moveReaderIndex(forwardBy: count)
        }
        return nil
    }

    private var isMalformed: Bool {
        if case .malformed = step { true } else { false }
    }

    private func checkWellFormed() throws(Malformed) {
        if case .malformed(let reason) = step {
            throw Malformed(reason: reason)
        }
    }

    private mutating func takeData(_ count: Int) {
        size -= count
        if size == 0 {
            step = .dataCR
        }
    }

    /// Reads framing bytes from the start of `bytes` until data starts, the body ends, the bytes
    /// run out or one is wrong; returns how many it read.
    private mutating func readFraming(_ bytes: UnsafeRawBufferPointer) -> Int {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch step {
            case .size:
                if let digit = byte.hexDigitValue {
                    guard size <= Int.max >> 4 else {
                        step = .malformed("a chunk size too large")
                        return index
                    }
                    size = size << 4 | digit
                    hasDigit = true
                } else if !hasDigit {
                    step = .malformed("a chunk without a size")
                } else if byte == UInt8(ascii: ";") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                    step = .sizeExtension
                } else if byte == UInt8(ascii: "\r") {
                    step = .sizeLineEnd
                } else {
                    step = .malformed("a chunk size that is not hexadecimal")
                }
            case .sizeExtension:
                if byte == UInt8(ascii: "\r") {
                    step = .sizeLineEnd
                } else if byte.isControl {
                    step = .malformed("a control byte in a chunk extension")
                }
            case .sizeLineEnd:
                guard byte == UInt8(ascii: "\n") else {
                    step = .malformed("a chunk size line without its line end")
                    return index
                }
                hasDigit = false
                if size == 0 {
                    step = .trailerLineStart
                } else {
                    step = .data
                    return index
                }
            case .dataCR:
                step = byte == UInt8(ascii: "\r") ? .dataLF : .malformed("chunk data longer than its size")
            case .dataLF:
                step = byte == UInt8(ascii: "\n") ? .size : .malformed("chunk data longer than its size")
            case .trailerLineStart:
                if byte == UInt8(ascii: "\r") {
                    step = .lastLineEnd
                } else {
                    step = byte.isControl ? .malformed("a control byte in a trailer") : .trailerLine
                }
            case .trailerLine:
                if byte == UInt8(ascii: "\r") {
                    step = .trailerLineEnd
                } else if byte.isControl {
                    step = .malformed("a control byte in a trailer")
                }
            case .trailerLineEnd:
                step = byte == UInt8(ascii: "\n") ? .trailerLineStart : .malformed("a trailer line without its line end")
            case .lastLineEnd:
                step = byte == UInt8(ascii: "\n") ? .done : .malformed("a chunked body without its last line end")
                return index
            case .data, .done, .malformed:
                return index - 1
            }
            if isMalformed {
                return index
            }
        }
        return index
    }
}

extension UInt8 {
    fileprivate var hexDigitValue: Int? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(self - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(self - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(self - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// A control byte other than a tab, which may stand in a field's value.
    var isControl: Bool {
        (self < 0x20 && self != UInt8(ascii: "\t")) || self == 0x7F
    }
}
