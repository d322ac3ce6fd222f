#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore

/// Gathers a head (a start line, header lines and the empty line) from reads as they arrive, for
/// the router's own parsers of requests and responses: a head whole in one read is a slice of it,
/// one cut across reads is kept until its end arrives. The end is found from line feed to line
/// feed with `memchr`, each checked for the CR before it.
struct HeadCollector {
    /// Why no head can be taken; each parser tells its own side of it.
    struct Failure: Error {
        let reason: String
    }

    let maximumLength: Int
    /// The start of a head that came in parts, and how much of it was searched for its end.
    private var partial: ByteBuffer?
    private var searched = 0

    init(maximumLength: Int) {
        self.maximumLength = maximumLength
    }

    /// Whether the start of a head is held, waiting for the rest.
    var holdsPart: Bool { partial != nil }

    /// A whole head from `buffer`, or nil once it holds no more than the start of one, kept here.
    /// What follows a head is left in `buffer`.
    mutating func take(from buffer: inout ByteBuffer) throws(Failure) -> ByteBuffer? {
        guard var held = partial.take() else {
            // A read used up by the request before: the usual last call.
            guard buffer.readableBytes > 0 else { return nil }
            // Empty lines before a head are passed over (RFC 9112 2.2), in the same look at the
            // bytes as the search for its end.
            let (skipped, length) = try headLength(in: buffer, skippingEmptyLines: true, searchedAlready: 0)
            buffer.moveReaderIndex(forwardBy: skipped)
            if let length {
                return buffer.readSlice(length: length)
            }
            guard buffer.readableBytes > 0 else { return nil }
            partial = buffer
            searched = buffer.readableBytes
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return nil
        }
        held.writeBuffer(&buffer)
        guard let length = try headLength(in: held, skippingEmptyLines: false, searchedAlready: searched).length else {
            searched = held.readableBytes
            partial = held
            return nil
        }
        searched = 0
        let head = held.readSlice(length: length)
        buffer = held
        return head
    }

    /// The length of the head in `buffer`, to the end of its empty line, after the `skipped` empty
    /// lines before it (with `skippingEmptyLines`); nil if its end has not arrived. The first
    /// `searchedAlready` bytes held no end.
    private func headLength(
        in buffer: ByteBuffer, skippingEmptyLines: Bool, searchedAlready: Int
    ) throws(Failure) -> (skipped: Int, length: Int?) {
        let found = buffer.withUnsafeReadableBytes { bytes -> Result<(Int, Int?), Failure> in
            guard let base = bytes.baseAddress else { return .success((0, nil)) }
            var start = 0
            if skippingEmptyLines {
                while start < bytes.count, bytes[start] == UInt8(ascii: "\r") || bytes[start] == UInt8(ascii: "\n") {
                    start += 1
                }
            }
            var index = max(start + 1, searchedAlready)
            let limit = min(bytes.count, start + maximumLength)
            // A head has a dozen line feeds, against hundreds of bytes.
            while index < limit, let found = memchr(base + index, Int32(UInt8(ascii: "\n")), limit - index) {
                index = base.distance(to: UnsafeRawPointer(found))
                // A line ended by a line feed alone is refused rather than guessed at (RFC 9112 2.2).
                guard bytes[index - 1] == UInt8(ascii: "\r") else {
                    return .failure(Failure(reason: "a head line ended by a line feed alone"))
                }
                if index >= start + 3, bytes[index - 2] == UInt8(ascii: "\n"), bytes[index - 3] == UInt8(ascii: "\r") {
                    return .success((start, index + 1 - start))
                }
                index += 1
            }
            return .success((start, nil))
        }
        let (skipped, length) = try found.get()
        if length == nil, buffer.readableBytes - skipped >= maximumLength {
            throw Failure(reason: "a head of over \(maximumLength) bytes")
        }
        return (skipped, length)
    }
}
