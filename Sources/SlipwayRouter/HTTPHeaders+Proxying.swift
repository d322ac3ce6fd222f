import NIOHTTP1

extension HTTPHeaders {
    /// Drops the headers that describe one connection rather than the message (RFC 9110 7.6.1),
    /// including any the Connection header names; each side of the proxy frames its own.
    mutating func removeHopByHopHeaders() {
        // One pass to find what is there (on every request and response, so names are told apart
        // by length before any bytes are compared, and nothing is allocated when there is nothing
        // to drop), then one removal each.
        var present: [String] = []
        for (name, value) in self where name.isHopByHopHeaderName {
            present.append(name)
            // `keep-alive`, the usual value, names no header that is not dropped anyway.
            guard name.equalsIgnoringASCIICase("connection"), !value.equalsIgnoringASCIICase("keep-alive") else { continue }
            for token in value.utf8.split(separator: UInt8(ascii: ",")) {
                let trimmed = token.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                let end = trimmed.lastIndex { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
                if let end, let listed = String(trimmed[...end]) {
                    present.append(listed)
                }
            }
        }
        for name in present {
            remove(name: name)
        }
    }
}

extension String {
    /// Connection, Keep-Alive, Proxy-Connection, TE, Trailer, Transfer-Encoding and Upgrade.
    fileprivate var isHopByHopHeaderName: Bool {
        switch utf8.count {
        case 2: equalsIgnoringASCIICase("te")
        case 7: equalsIgnoringASCIICase("trailer") || equalsIgnoringASCIICase("upgrade")
        case 10: equalsIgnoringASCIICase("connection") || equalsIgnoringASCIICase("keep-alive")
        case 16: equalsIgnoringASCIICase("proxy-connection")
        case 17: equalsIgnoringASCIICase("transfer-encoding")
        default: false
        }
    }

    /// Header names are ASCII; this spares the Unicode machinery of `lowercased()`.
    func equalsIgnoringASCIICase(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        // Native strings (all NIO's parser makes) are contiguous: compared as bytes, not through
        // the views' iterators, which cost about a hundred instructions a byte.
        let matched = utf8.withContiguousStorageIfAvailable { bytes in
            other.utf8.withContiguousStorageIfAvailable { $0.equalsIgnoringASCIICase(bytes) }
        }
        if let matched, let matched {
            return matched
        }
        return zip(utf8, other.utf8).allSatisfy { $0.equalsIgnoringASCIICase($1) }
    }
}

extension UnsafeBufferPointer<UInt8> {
    fileprivate func equalsIgnoringASCIICase(_ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        for index in indices where !self[index].equalsIgnoringASCIICase(other[index]) {
            return false
        }
        return true
    }
}

extension UInt8 {
    fileprivate func equalsIgnoringASCIICase(_ other: UInt8) -> Bool {
        self == other || (self | 0x20 == other | 0x20 && (self | 0x20) >= UInt8(ascii: "a") && (self | 0x20) <= UInt8(ascii: "z"))
    }
}
