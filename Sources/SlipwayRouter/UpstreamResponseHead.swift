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

    /// Copies the status line from the code on, then the kept header lines, runs of kept lines in
    /// one copy each.
    func write(to destination: UnsafeMutableRawBufferPointer, at offset: inout Int) {
        bytes.withUnsafeReadableBytes { source in
            destination.copy(source[statusStart..<linesStart], at: &offset)
            var lineStart = linesStart
            var runStart = linesStart
            var index = 0
            // The last two bytes are the empty line that ends the head.
            let end = source.count - 2
            while lineStart < end {
                var lineEnd = lineStart
                while source[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                lineEnd += 1
                if !kept.contains(index) {
                    destination.copy(source[runStart..<lineStart], at: &offset)
                    runStart = lineEnd
                }
                lineStart = lineEnd
                index += 1
            }
            destination.copy(source[runStart..<end], at: &offset)
        }
    }
}

extension UnsafeMutableRawBufferPointer {
    fileprivate func copy(_ source: Slice<UnsafeRawBufferPointer>, at offset: inout Int) {
        guard !source.isEmpty else { return }
        UnsafeMutableRawBufferPointer(rebasing: self[offset..<offset + source.count])
            .copyMemory(from: UnsafeRawBufferPointer(rebasing: source))
        offset += source.count
    }
}
