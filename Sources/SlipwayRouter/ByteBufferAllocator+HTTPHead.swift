import NIOCore
import NIOHTTP1

extension ByteBufferAllocator {
    /// A header the router adds to a head it writes.
    typealias AddedHeader = (name: StaticString, value: String)

    /// An HTTP/1 head, its start line of three words and its headers, written into a buffer of
    /// the right size with one write. NIO's encoders write every name, separator, value and line
    /// end separately, about 45 writes a proxied response, each with its own exclusivity check on
    /// the buffer's storage, into a buffer that then grows.
    ///
    /// The selected headers are written in their order; the up to four added ones (parameters
    /// rather than a variadic list, which would allocate) follow them. Every header written
    /// comes from NIO's parser or is the router's own, so none is validated again here.
    /// `extraCapacity` leaves room for a body to follow.
    func httpHead(
        _ first: String, _ second: String, _ third: String, headers selection: HeaderSelection,
        adding added1: AddedHeader? = nil, _ added2: AddedHeader? = nil, _ added3: AddedHeader? = nil,
        _ added4: AddedHeader? = nil, extraCapacity: Int = 0
    ) -> ByteBuffer {
        var length = first.utf8.count + second.utf8.count + third.utf8.count + 4 + 2
        length += selection.length
        length += Self.length(of: added1) + Self.length(of: added2) + Self.length(of: added3) + Self.length(of: added4)
        var buffer = buffer(capacity: length + extraCapacity)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { bytes in
            var offset = 0
            bytes.put(first, at: &offset)
            bytes.put(UInt8(ascii: " "), at: &offset)
            bytes.put(second, at: &offset)
            bytes.put(UInt8(ascii: " "), at: &offset)
            bytes.put(third, at: &offset)
            bytes.putLineEnd(at: &offset)
            var index = 0
            for (name, value) in selection.headers {
                if !selection.isOmitted(index) {
                    bytes.put(name, value, at: &offset)
                }
                index += 1
            }
            bytes.put(added1, at: &offset)
            bytes.put(added2, at: &offset)
            bytes.put(added3, at: &offset)
            bytes.put(added4, at: &offset)
            bytes.putLineEnd(at: &offset)
            return offset
        }
        return buffer
    }

    /// An upstream's response head as it goes to a client: the start line with the client's
    /// `version` and the rest of the upstream's, the header lines it keeps copied as they came
    /// (already checked by ``UpstreamResponseParser``), then the up to three added ones.
    func httpHead(
        _ version: String, passing head: UpstreamResponseHead,
        adding added1: AddedHeader? = nil, _ added2: AddedHeader? = nil, _ added3: AddedHeader? = nil,
        extraCapacity: Int = 0
    ) -> ByteBuffer {
        var length = version.utf8.count + 1 + head.writtenLength + 2
        length += Self.length(of: added1) + Self.length(of: added2) + Self.length(of: added3)
        var buffer = buffer(capacity: length + extraCapacity)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { bytes in
            var offset = 0
            bytes.put(version, at: &offset)
            bytes.put(UInt8(ascii: " "), at: &offset)
            head.write(to: bytes, at: &offset)
            bytes.put(added1, at: &offset)
            bytes.put(added2, at: &offset)
            bytes.put(added3, at: &offset)
            bytes.putLineEnd(at: &offset)
            return offset
        }
        return buffer
    }

    private static func length(of header: AddedHeader?) -> Int {
        guard let header else { return 0 }
        return header.name.utf8CodeUnitCount + header.value.utf8.count + 4
    }
}

extension UnsafeMutableRawBufferPointer {
    fileprivate func put(_ name: String, _ value: String, at offset: inout Int) {
        put(name, at: &offset)
        put(UInt8(ascii: ":"), at: &offset)
        put(UInt8(ascii: " "), at: &offset)
        put(value, at: &offset)
        putLineEnd(at: &offset)
    }

    fileprivate func put(_ header: ByteBufferAllocator.AddedHeader?, at offset: inout Int) {
        guard let (name, value) = header else { return }
        name.withUTF8Buffer { source in
            UnsafeMutableRawBufferPointer(rebasing: self[offset..<offset + source.count])
                .copyMemory(from: UnsafeRawBufferPointer(source))
            offset += source.count
        }
        put(UInt8(ascii: ":"), at: &offset)
        put(UInt8(ascii: " "), at: &offset)
        put(value, at: &offset)
        putLineEnd(at: &offset)
    }

    fileprivate func put(_ string: String, at offset: inout Int) {
        let copied = string.utf8.withContiguousStorageIfAvailable { source in
            UnsafeMutableRawBufferPointer(rebasing: self[offset..<offset + source.count])
                .copyMemory(from: UnsafeRawBufferPointer(source))
            return source.count
        }
        if let copied {
            offset += copied
            return
        }
        // Bridged strings only: NIO's parser and the router make native or small ones.
        for byte in string.utf8 {
            put(byte, at: &offset)
        }
    }

    fileprivate func put(_ byte: UInt8, at offset: inout Int) {
        self[offset] = byte
        offset += 1
    }

    fileprivate func putLineEnd(at offset: inout Int) {
        put(UInt8(ascii: "\r"), at: &offset)
        put(UInt8(ascii: "\n"), at: &offset)
    }
}
