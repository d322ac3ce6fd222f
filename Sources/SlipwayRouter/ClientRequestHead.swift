import NIOCore
import NIOHTTP1

/// The head of a client's request as it came, with what the router needs of it found in the one
/// pass that checked it: the method, the version, the body's framing, whether the client keeps
/// the connection, and which header lines go on to an upstream. Written out for the upstream it
/// is the client's own bytes, the version set to HTTP/1.1, the cut lines left out and the
/// router's own lines (`Content-Length`, `X-Forwarded-*`) added; see ``UpstreamRequestWriter``.
///
/// A class: a head goes from the parser's event to the pending request to the exchange, and a
/// struct of this size was copied whole at each step.
final class ClientRequestHead {
    /// The head's bytes, request line to the empty line.
    let bytes: ByteBuffer
    let method: HTTPMethod
    let version: HTTPVersion
    /// The `Content-Length` the client sent.
    let contentLength: Int?
    let isChunked: Bool
    /// The client waits for `100 Continue` before it sends the body.
    let expectsContinue: Bool
    /// The client keeps the connection open after this request.
    let isKeepAlive: Bool
    let methodBytes: Range<Int>
    let targetBytes: Range<Int>
    /// The first Host header's value, and how many there were.
    let host: Range<Int>?
    let hostCount: Int
    /// The values of the client's `X-Forwarded-For` lines, which are cut and written as one.
    let forwardedFor: [Range<Int>]
    let hasForwardedHost: Bool
    let hasForwardedProto: Bool
    let kept: KeptHeaderLines
    /// Where the header lines start in `bytes`.
    let linesStart: Int

    /// Reads a head, the bytes from the request line to the end of its empty line.
    init(_ bytes: ByteBuffer) throws(RouterError) {
        let reading = bytes.withUnsafeReadableBytes { RequestHeadReading($0) }
        if let failure = reading.failure {
            throw .malformedRequest(failure)
        }
        self.bytes = bytes
        method = reading.method
        version = reading.version
        contentLength = reading.contentLength
        isChunked = reading.isChunked
        expectsContinue = reading.expectsContinue
        isKeepAlive = reading.isKeepAlive
        methodBytes = reading.methodBytes
        targetBytes = reading.target
        host = reading.host
        hostCount = reading.hostCount
        forwardedFor = reading.forwardedFor
        hasForwardedHost = reading.hasForwardedHost
        hasForwardedProto = reading.hasForwardedProto
        kept = reading.kept
        linesStart = reading.linesStart
    }

    /// The request target as the client wrote it.
    var uri: String {
        string(targetBytes)
    }

    /// The first byte of the target: a `/` for the origin form nearly every request has.
    var targetStart: UInt8 {
        bytes.getInteger(at: bytes.readerIndex + targetBytes.lowerBound, as: UInt8.self) ?? 0
    }

    /// The first Host header's value as a string, for the rare request that needs it as one.
    var hostText: String? {
        host.map(string)
    }

    private func string(_ range: Range<Int>) -> String {
        bytes.getString(at: bytes.readerIndex + range.lowerBound, length: range.count) ?? ""
    }
}
