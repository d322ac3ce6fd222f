/// One pass over the bytes of an upstream's response head: the status line and every header line
/// checked, the framing and the connection's fate found, and each line marked kept or left out
/// for ``UpstreamResponseHead``. A failure is noted rather than thrown, since the pass runs inside
/// `withUnsafeReadableBytes`.
struct HeadReading {
    /// Where the status code starts: after `HTTP/1.x `.
    static let statusStart = 9

    private(set) var failure: String?
    private(set) var statusCode = 0
    /// Nil for an informational head.
    private(set) var framing: UpstreamResponseHead.Framing?
    private(set) var isKeepAlive = false
    private(set) var kept = KeptHeaderLines()
    private(set) var contentLength: Int?
    private(set) var linesStart = 0

    private var isHTTP11 = false
    private var connection = ConnectionOptions()
    private var hasTransferEncoding = false
    private var isChunked = false

    init(_ bytes: UnsafeRawBufferPointer, answeringHEAD: Bool) {
        guard readStatusLine(bytes) else { return }
        var lineStart = linesStart
        let end = bytes.count - 2
        while lineStart < end {
            guard let lineEnd = readHeaderLine(bytes, from: lineStart) else { return }
            lineStart = lineEnd
        }
        if !connection.listedNames.isEmpty {
            kept.omitLines(named: connection.listedNames, in: bytes, linesStart: linesStart)
        }
        if statusCode < 200 {
            if statusCode == 101 {
                failure = "a 101 Switching Protocols the router did not ask for"
            }
            return
        }
        let statusMayHaveBody = statusCode != 204 && statusCode != 304
        let framing: UpstreamResponseHead.Framing
        if answeringHEAD || !statusMayHaveBody {
            framing = .none
        } else if hasTransferEncoding {
            guard contentLength == nil else {
                failure = "both Content-Length and Transfer-Encoding"
                return
            }
            // A coding other than chunked last leaves the end to the close (RFC 9112 6.3).
            framing = isChunked ? .chunked : .untilClose
        } else if let contentLength {
            framing = .length(contentLength)
        } else {
            framing = .untilClose
        }
        self.framing = framing
        isKeepAlive = framing != .untilClose && !connection.saysClose && (isHTTP11 || connection.saysKeepAlive)
    }

    /// `HTTP/1.x NNN reason` and its line end.
    private mutating func readStatusLine(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let prefix: StaticString = "HTTP/1."
        guard bytes.count >= 14,
            prefix.withUTF8Buffer({ bytes.starts(with: $0) }),
            bytes[7] == UInt8(ascii: "0") || bytes[7] == UInt8(ascii: "1"),
            bytes[8] == UInt8(ascii: " "),
            let code = Self.statusCode(bytes[9..<12]),
            bytes[12] == UInt8(ascii: " ") || bytes[12] == UInt8(ascii: "\r")
        else {
            failure = "not an HTTP/1 status line"
            return false
        }
        isHTTP11 = bytes[7] == UInt8(ascii: "1")
        statusCode = code
        var index = 12
        while bytes[index] != UInt8(ascii: "\r") {
            guard !bytes[index].isControl else {
                failure = "a control byte in the status line"
                return false
            }
            index += 1
        }
        guard bytes[index + 1] == UInt8(ascii: "\n") else {
            failure = "a status line without its line end"
            return false
        }
        linesStart = index + 2
        return true
    }

    private static func statusCode(_ digits: Slice<UnsafeRawBufferPointer>) -> Int? {
        var code = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            code = code * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return code >= 100 ? code : nil
    }

    /// Reads the line from `start`; returns where the next one starts, or nil with a failure.
    private mutating func readHeaderLine(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let line = HeaderLine.read(bytes, from: start, failure: &failure) else { return nil }
        let isKept = readHeader(bytes, name: line.name, value: line.value)
        kept.append(isKept: isKept, length: line.end - start)
        return failure == nil ? line.end : nil
    }

    /// Notes what the header says of the framing and the connection; false when it is left out.
    private mutating func readHeader(_ bytes: UnsafeRawBufferPointer, name: Range<Int>, value: Range<Int>) -> Bool {
        // Names told apart by their length before any bytes are compared.
        switch name.count {
        case 2:
            return !bytes.equalsLowercased(name, "te")
        case 7:
            return !bytes.equalsLowercased(name, "trailer") && !bytes.equalsLowercased(name, "upgrade")
        case 10 where bytes.equalsLowercased(name, "connection"):
            connection.read(bytes, value)
            return false
        case 10:
            return !bytes.equalsLowercased(name, "keep-alive")
        case 14 where bytes.equalsLowercased(name, "content-length"):
            contentLength = bytes.contentLength(value, agreeingWith: contentLength, failure: &failure)
            return statusCode >= 200 && statusCode != 204 && statusCode != 304
        case 15:
            return !bytes.equalsLowercased(name, "x-slipway-color")
        case 16:
            return !bytes.equalsLowercased(name, "proxy-connection")
        case 17 where bytes.equalsLowercased(name, "transfer-encoding"):
            hasTransferEncoding = true
            // The last coding of the last such header is the one that frames the body.
            isChunked =
                bytes.equalsLowercased(value, "chunked")
                || (bytes.tokens(in: value).last.map { bytes.equalsLowercased($0, "chunked") } ?? false)
            return false
        default:
            return true
        }
    }
}
