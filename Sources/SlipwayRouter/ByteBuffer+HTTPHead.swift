import NIOCore
import NIOHTTP1

extension ByteBuffer {
    /// A header the router adds to a head it writes.
    typealias AddedHeader = (name: StaticString, value: String)

    /// Writes an HTTP/1 head, its start line of three words and its headers, with one buffer
    /// write. NIO's encoders write every name, separator, value and line end separately, about 45
    /// writes a proxied response, each with its own exclusivity check on the buffer's storage.
    ///
    /// Headers `omitting` returns true for are left out; the up to three added ones (parameters
    /// rather than a variadic list, which would allocate) follow the rest. Every header written
    /// comes from NIO's parser or is the router's own, so none is validated again here.
    mutating func writeHTTPHead(
        _ first: String, _ second: String, _ third: String,
        headers: HTTPHeaders, omitting: (String) -> Bool = { _ in false },
        adding added1: AddedHeader? = nil, _ added2: AddedHeader? = nil, _ added3: AddedHeader? = nil
    ) {
        var length = first.utf8.count + second.utf8.count + third.utf8.count + 4 + 2
        for (name, value) in headers where !omitting(name) {
            length += name.utf8.count + value.utf8.count + 4
        }
        length += Self.length(of: added1) + Self.length(of: added2) + Self.length(of: added3)
        writeWithUnsafeMutableBytes(minimumWritableBytes: length) { bytes in
            var offset = 0
            bytes.put(first, at: &offset)
            bytes.put(" ", at: &offset)
            bytes.put(second, at: &offset)
            bytes.put(" ", at: &offset)
            bytes.put(third, at: &offset)
            bytes.put("\r\n", at: &offset)
            for (name, value) in headers where !omitting(name) {
                bytes.put(name, at: &offset)
                bytes.put(": ", at: &offset)
                bytes.put(value, at: &offset)
                bytes.put("\r\n", at: &offset)
            }
            bytes.put(added1, at: &offset)
            bytes.put(added2, at: &offset)
            bytes.put(added3, at: &offset)
            bytes.put("\r\n", at: &offset)
            return offset
        }
    }

    private static func length(of header: AddedHeader?) -> Int {
        guard let header else { return 0 }
        return header.name.utf8CodeUnitCount + header.value.utf8.count + 4
    }
}

extension UnsafeMutableRawBufferPointer {
    fileprivate func put(_ header: ByteBuffer.AddedHeader?, at offset: inout Int) {
        guard let header else { return }
        put(header.name, at: &offset)
        put(": ", at: &offset)
        put(header.value, at: &offset)
        put("\r\n", at: &offset)
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
            self[offset] = byte
            offset += 1
        }
    }

    fileprivate func put(_ string: StaticString, at offset: inout Int) {
        string.withUTF8Buffer { source in
            UnsafeMutableRawBufferPointer(rebasing: self[offset..<offset + source.count])
                .copyMemory(from: UnsafeRawBufferPointer(source))
            offset += source.count
        }
    }
}
