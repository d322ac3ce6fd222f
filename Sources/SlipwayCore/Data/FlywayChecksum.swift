/// The checksum Flyway records for a SQL migration (its ChecksumCalculator): CRC-32 (IEEE) fed
/// the file line by line as `BufferedReader.readLine()` returns them, that is without their
/// terminators (`\n`, `\r\n` or `\r`), each line encoded as UTF-8, with a byte-order mark removed
/// from the first line; the CRC's 32 bits are stored as a signed `int`. Feeding the lines one
/// after another is one CRC over their concatenation, so the checksum is the CRC of the text
/// with every `\r` and `\n` removed: line endings and empty lines do not change it.
public enum FlywayChecksum {
    public static func of(_ text: String) -> Int32 {
        var crc: UInt32 = 0xFFFF_FFFF
        var utf8 = text.utf8[...]
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8 = utf8.dropFirst(3) }
        // In UTF-8 the bytes of `\n` and `\r` stand for nothing else.
        for byte in utf8 where byte != 0x0A && byte != 0x0D {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return Int32(bitPattern: crc ^ 0xFFFF_FFFF)
    }

    /// The checksum of a file's bytes, decoded as UTF-8 the way Java decodes them (a malformed
    /// sequence becomes U+FFFD).
    public static func of(bytes: [UInt8]) -> Int32 {
        of(String(decoding: bytes, as: UTF8.self))
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}
