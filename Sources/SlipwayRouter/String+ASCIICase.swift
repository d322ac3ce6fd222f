extension String {
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
