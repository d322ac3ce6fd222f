import NIOHTTP1

/// One pass over the bytes of a client's request head: the request line and every header line
/// checked, the body's framing (RFC 9112 6.3) and the connection's fate found, the few values the
/// router uses located, and each line marked kept or cut for the upstream (``ClientRequestHead``).
/// A failure is noted rather than thrown, since the pass runs inside `withUnsafeReadableBytes`.
struct RequestHeadReading {
    private(set) var failure: String?
    private(set) var method = HTTPMethod.GET
    private(set) var methodBytes = 0..<0
    private(set) var target = 0..<0
    private(set) var version = HTTPVersion.http1_1
    private(set) var linesStart = 0
    /// Lines that go upstream: not hop-by-hop, not named by Connection, not `Expect`,
    /// `Content-Length` or `X-Forwarded-For` (the router writes those itself).
    private(set) var kept = KeptHeaderLines()
    private(set) var host: Range<Int>?
    private(set) var hostCount = 0
    private(set) var contentLength: Int?
    private(set) var isChunked = false
    private(set) var expectsContinue = false
    private(set) var forwardedFor: [Range<Int>] = []
    private(set) var hasForwardedHost = false
    private(set) var hasForwardedProto = false

    private var connection = ConnectionOptions()
    private var hasTransferEncoding = false

    init(_ bytes: UnsafeRawBufferPointer) {
        guard readRequestLine(bytes) else { return }
        var lineStart = linesStart
        let end = bytes.count - 2
        while lineStart < end {
            guard let line = HeaderLine.read(bytes, from: lineStart, failure: &failure) else { return }
            kept.append(isKept: readHeader(bytes, name: line.name, value: line.value), length: line.end - lineStart)
            guard failure == nil else { return }
            lineStart = line.end
        }
        if !connection.listedNames.isEmpty {
            kept.omitLines(named: connection.listedNames, in: bytes, linesStart: linesStart)
        }
        if hasTransferEncoding {
            // A length beside a coding is how requests are smuggled past a proxy (RFC 9112 6.3).
            if contentLength != nil {
                failure = "both Content-Length and Transfer-Encoding"
            } else if !isChunked {
                failure = "a Transfer-Encoding whose last coding is not chunked"
            } else if version == .http1_0 {
                failure = "a Transfer-Encoding in an HTTP/1.0 request"
            }
        }
    }

    var isKeepAlive: Bool {
        !connection.saysClose && (version == .http1_1 || connection.saysKeepAlive)
    }

    /// `METHOD target HTTP/1.x` and its line end.
    private mutating func readRequestLine(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while bytes[index].isTokenCharacter {
            index += 1
        }
        guard index > 0, bytes[index] == UInt8(ascii: " ") else {
            failure = "a request line without a method"
            return false
        }
        methodBytes = 0..<index
        index += 1
        let targetStart = index
        // Visible bytes and bytes past ASCII; a space ends the target, any other byte is refused.
        while bytes[index] > 0x20, bytes[index] != 0x7F {
            index += 1
        }
        guard index > targetStart, bytes[index] == UInt8(ascii: " ") else {
            failure = "a request line without a target"
            return false
        }
        target = targetStart..<index
        index += 1
        let prefix: StaticString = "HTTP/1."
        guard bytes.count - index >= 10,
            prefix.withUTF8Buffer({ UnsafeRawBufferPointer(rebasing: bytes[index...]).starts(with: $0) }),
            bytes[index + 7] == UInt8(ascii: "0") || bytes[index + 7] == UInt8(ascii: "1"),
            bytes[index + 8] == UInt8(ascii: "\r"), bytes[index + 9] == UInt8(ascii: "\n")
        else {
            failure = "a request line without HTTP/1.0 or HTTP/1.1 and its line end"
            return false
        }
        version = bytes[index + 7] == UInt8(ascii: "1") ? .http1_1 : .http1_0
        linesStart = index + 10
        method = Self.methodNamed(bytes, methodBytes)
        return true
    }

    /// The usual methods from their bytes; others through a string, as NIO's parser made them.
    private static func methodNamed(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> HTTPMethod {
        switch range.count {
        case 3 where bytes.equals(range, "GET"): .GET
        case 3 where bytes.equals(range, "PUT"): .PUT
        case 4 where bytes.equals(range, "POST"): .POST
        case 4 where bytes.equals(range, "HEAD"): .HEAD
        default: HTTPMethod(rawValue: String(decoding: bytes[range], as: UTF8.self))
        }
    }

    /// Notes what the header says; false when its line does not go upstream.
    private mutating func readHeader(_ bytes: UnsafeRawBufferPointer, name: Range<Int>, value: Range<Int>) -> Bool {
        // Names told apart by their length before any bytes are compared.
        switch name.count {
        case 2:
            return !bytes.equalsLowercased(name, "te")
        case 4 where bytes.equalsLowercased(name, "host"):
            if host == nil {
                host = value
            }
            hostCount += 1
            return true
        case 6 where bytes.equalsLowercased(name, "expect"):
            expectsContinue = expectsContinue || bytes.equalsLowercased(value, "100-continue")
            return false
        case 7:
            return !bytes.equalsLowercased(name, "trailer") && !bytes.equalsLowercased(name, "upgrade")
        case 10 where bytes.equalsLowercased(name, "connection"):
            connection.read(bytes, value)
            return false
        case 10:
            return !bytes.equalsLowercased(name, "keep-alive")
        case 14 where bytes.equalsLowercased(name, "content-length"):
            contentLength = bytes.contentLength(value, agreeingWith: contentLength, failure: &failure)
            return false
        case 15 where bytes.equalsLowercased(name, "x-forwarded-for"):
            forwardedFor.append(value)
            return false
        case 16 where bytes.equalsLowercased(name, "x-forwarded-host"):
            hasForwardedHost = true
            return true
        case 16:
            return !bytes.equalsLowercased(name, "proxy-connection")
        case 17 where bytes.equalsLowercased(name, "x-forwarded-proto"):
            hasForwardedProto = true
            return true
        case 17 where bytes.equalsLowercased(name, "transfer-encoding"):
            readTransferEncoding(bytes, value)
            return false
        default:
            return true
        }
    }

    /// Chunked must be the last coding, and come once (RFC 9112 6.1), across all such headers.
    private mutating func readTransferEncoding(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) {
        hasTransferEncoding = true
        guard !isChunked else {
            failure = "a Transfer-Encoding with a coding after chunked"
            return
        }
        // The usual value alone, without making a list of it.
        if bytes.equalsLowercased(value, "chunked") {
            isChunked = true
            return
        }
        for coding in bytes.tokens(in: value) {
            guard !isChunked else {
                failure = "a Transfer-Encoding with a coding after chunked"
                return
            }
            isChunked = bytes.equalsLowercased(coding, "chunked")
        }
    }
}

extension UnsafeRawBufferPointer {
    /// Whether the bytes in `range` are exactly `text`.
    fileprivate func equals(_ range: Range<Int>, _ text: StaticString) -> Bool {
        text.withUTF8Buffer { expected in
            range.count == expected.count && UnsafeRawBufferPointer(rebasing: self[range]).elementsEqual(expected)
        }
    }
}
