import NIOCore

/// The head of an upstream's response as it came, with what the router needs of it found in the
/// one pass that checked it: the status, the framing, whether the connection stays open, and
/// which header lines go on to a client. Written out again it is the upstream's own bytes, the
/// start line's version set to the client's and the left-out lines cut.
struct UpstreamResponseHead {
    /// How the upstream frames the body that follows.
    enum Framing: Equatable {
        /// None follows: a 204 or 304, or the answer to HEAD.
        case none
        case length(Int)
        case chunked
        /// The body runs until the upstream closes the connection.
        case untilClose
    }

    /// The head's bytes, status line to the empty line.
    let bytes: ByteBuffer
    let statusCode: Int
    let framing: Framing
    /// The upstream keeps the connection open after this response.
    let isKeepAlive: Bool
    /// The header lines that go on: not hop-by-hop, not one the Connection header names, not
    /// `X-Slipway-Color` (the router sets its own), and no `Content-Length` where a status has no
    /// body.
    let kept: KeptHeaderLines
    /// The `Content-Length` the upstream sent, whether or not a body follows.
    let contentLength: Int?
    /// Where the status code starts in `bytes`: the status line is written on from there.
    let statusStart: Int
    /// Where the header lines start in `bytes`.
    let linesStart: Int

    /// Reads a head, the bytes from the status line to the end of its empty line; nil for an
    /// informational (1xx) one, which the response proper follows.
    init?(_ bytes: ByteBuffer, answeringHEAD: Bool) throws(RouterError) {
        let reading = bytes.withUnsafeReadableBytes { HeadReading($0, answeringHEAD: answeringHEAD) }
        if let failure = reading.failure {
            throw .malformedUpstreamResponse(failure)
        }
        guard let framing = reading.framing else { return nil }
        self.bytes = bytes
        statusCode = reading.statusCode
        self.framing = framing
        isKeepAlive = reading.isKeepAlive
        kept = reading.kept
        contentLength = reading.contentLength
        statusStart = HeadReading.statusStart
        linesStart = reading.linesStart
    }

    /// The status allows a body (RFC 9110 15: not 1xx, 204 or 304); a HEAD's answer still has none.
    var statusMayHaveBody: Bool {
        statusCode >= 200 && statusCode != 204 && statusCode != 304
    }

    /// Bytes written by ``write(to:at:)``: the status line from the code on, and the kept lines.
    var writtenLength: Int {
        linesStart - statusStart + kept.byteCount
    }

    /// Copies the status line from the code on, then the kept header lines.
    func write(to destination: UnsafeMutableRawBufferPointer, at offset: inout Int) {
        bytes.withUnsafeReadableBytes { source in
            destination.copy(source[statusStart..<linesStart], at: &offset)
            kept.copy(from: source, linesStart: linesStart, to: destination, at: &offset)
        }
    }
}
