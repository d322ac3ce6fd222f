import Foundation
import NIOCore
@testable import SlipwayRouter

/// The router's parser of upstream responses on bytes an upstream might send. The first byte says
/// whether the request was a HEAD (bit 0), whether chunks pass as they are (bit 1), and where the
/// rest is split in two reads (the other bits). Whatever the bytes, the parser reads them the same
/// split or whole, refuses them only with `malformedUpstreamResponse`, and every head it passes
/// on reads back as a head of the same status.
enum UpstreamResponse {
    static func handle(_ data: Data) {
        let first = data.first ?? 0
        let bytes = data.dropFirst()
        let split = Int(first >> 2) % (bytes.count + 1)
        let whole = parse([bytes], toHEAD: first & 1 != 0, passingChunks: first & 2 != 0)
        let parts = parse([bytes.prefix(split), bytes.dropFirst(split)], toHEAD: first & 1 != 0, passingChunks: first & 2 != 0)
        precondition(whole == parts, "split after \(split) reads otherwise: \(parts) against \(whole)")
    }

    /// Heads (as written on), bodies and ends, up to the first refusal (nil last).
    private static func parse(_ reads: [Data.SubSequence], toHEAD: Bool, passingChunks: Bool) -> [String?] {
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHEAD: toHEAD, passingChunks: passingChunks)
        var parts: [String?] = []
        // Bytes, not text: a UTF-8 sequence cut between two reads decodes otherwise than whole.
        var body: [UInt8] = []
        do {
            for read in reads {
                var buffer = ByteBuffer(bytes: read)
                while let event = try parser.next(&buffer) {
                    switch event {
                    case .head(let head):
                        parts.append(written(head))
                    case .body(let bytes):
                        precondition(bytes.readableBytes > 0, "an empty body part")
                        body += bytes.readableBytesView
                    case .end:
                        parts.append(latin1(body))
                        body = []
                        parts.append("end")
                        parser.expectResponse(toHEAD: toHEAD, passingChunks: passingChunks)
                    }
                }
            }
            parts.append(latin1(body))
            parts.append(parser.finish() ? "closed" : "cut")
        } catch .malformedUpstreamResponse {
            // The body read before the refusal is left out: how much of it was passed on depends
            // on the split, and the client is cut off anyway.
            parts.append(nil)
        } catch {
            preconditionFailure("refused with another error: \(error)")
        }
        return parts
    }

    /// Each byte as the character of the same number, so that different bytes read different.
    private static func latin1(_ bytes: [UInt8]) -> String {
        String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// The head as it goes to a client, checked to read back the same.
    private static func written(_ head: UpstreamResponseHead) -> String {
        var buffer = ByteBufferAllocator().httpHead("HTTP/1.1", passing: head)
        let text = String(buffer: buffer)
        var again = UpstreamResponseParser()
        again.expectResponse(toHEAD: head.framing == .none, passingChunks: true)
        guard case .head(let reread) = try? again.next(&buffer) else {
            preconditionFailure("a head written on does not read back: \(text.debugDescription)")
        }
        precondition(reread.statusCode == head.statusCode, "the status changed: \(text.debugDescription)")
        precondition(buffer.readableBytes == 0, "bytes after the head: \(text.debugDescription)")
        return text
    }
}
