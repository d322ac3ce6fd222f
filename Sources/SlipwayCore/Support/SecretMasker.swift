import Foundation

/// Replaces secret values with `****` in everything Slipway stores, prints or shows, together
/// with their base64 (standard and URL-safe, padded or not, alone or inside a longer encoded
/// string such as a Basic authorization) and percent-encoded forms.
///
/// Secrets are the values of variables named under `secrets:` in config and of every
/// environment variable whose name ends in `_TOKEN`, `_KEY`, `_SECRET` or `PASSWORD`.
public struct SecretMasker: Sendable {
    public static let mask = "****"
    /// Values shorter than this are not masked: masking `1` or `no` would garble every line.
    public static let minimumLength = 4
    /// Base64 fragments shorter than this are not masked: a short run of letters from a short
    /// secret's encoding would turn up in unrelated text.
    static let minimumEncodedLength = 6

    private let values: [String]
    /// The values and every encoded form of them, longest first, so a value inside a longer
    /// form never leaves part of that form showing.
    private let forms: [String]
    /// Each form's UTF-8 bytes when it is ASCII (every base64 form, most values): those are
    /// looked for as bytes, nil ones through Foundation, which also finds other normalisations.
    private let asciiForms: [[UInt8]?]
    private let valueBytes: [[UInt8]]

    public init(values: [String]) {
        self.values = Set(values.filter { $0.count >= Self.minimumLength }).sorted { $0.count > $1.count }
        self.forms = Set(self.values + self.values.flatMap(Self.base64Forms)).sorted { $0.count > $1.count }
        self.asciiForms = forms.map { form in form.utf8.allSatisfy { $0 < 0x80 } ? Array(form.utf8) : nil }
        self.valueBytes = self.values.map { Array($0.utf8) }
    }

    public static func isSecretName(_ name: String) -> Bool {
        let upper = name.uppercased()
        return upper.hasSuffix("_TOKEN") || upper.hasSuffix("_KEY") || upper.hasSuffix("_SECRET")
            || upper.hasSuffix("PASSWORD")
    }

    /// The masker for `environment`, with the variables in `names` treated as secret too, and
    /// `also` (parts of secrets that may show on their own, such as a connection string's password).
    public init(environment: [String: String], names: [String], also: [String] = []) {
        let named = Set(names)
        self.init(values: environment.compactMap { name, value in
            named.contains(name) || Self.isSecretName(name) ? value : nil
        } + also)
    }

    public var isEmpty: Bool { values.isEmpty }

    /// This masker masking `more` values too.
    public func adding(_ more: [String]) -> SecretMasker { SecretMasker(values: values + more) }

    public func mask(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        var result = text
        for (form, ascii) in zip(forms, asciiForms) where ascii.map({ Self.occurs($0, in: &result) }) ?? result.contains(form) {
            result = result.replacingOccurrences(of: form, with: Self.mask)
        }
        if result.utf8.contains(UInt8(ascii: "%")) || result.utf8.contains(UInt8(ascii: "+")) {
            result = maskPercentEncoded(result)
        }
        return result
    }

    /// Whether `bytes` occur in `text`'s UTF-8 (memchr for the first byte, then memcmp):
    /// Foundation's `contains` goes through UTF-16 and was most of a PostgreSQL append's time,
    /// a masker being asked about every form of every secret for every payload and output line.
    private static func occurs(_ bytes: [UInt8], in text: inout String) -> Bool {
        text.withUTF8 { haystack in
            bytes.withUnsafeBufferPointer { needle in
                guard let first = needle.first, let needleStart = needle.baseAddress else { return true }
                guard needle.count <= haystack.count, var position = haystack.baseAddress else { return false }
                let last = position + (haystack.count - needle.count)
                while position <= last {
                    guard let found = memchr(position, Int32(first), last - position + 1) else { return false }
                    let candidate = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
                    if memcmp(candidate, needleStart, needle.count) == 0 { return true }
                    position = candidate + 1
                }
                return false
            }
        }
    }

    // MARK: Base64

    /// The value's encodings in both alphabets: whole (padded and not), and the characters that
    /// are the same whatever bytes come before and after it, for each of the three positions
    /// it can take in a 3-byte group of a longer encoded string.
    private static func base64Forms(of value: String) -> [String] {
        let bytes = Array(value.utf8)
        let whole = Data(bytes).base64EncodedString()
        var standard = [whole, String(whole.reversed().drop { $0 == "=" }.reversed())]
        for offset in 0..<3 {
            standard.append(alignedFragment(of: bytes, after: offset))
        }
        let forms = standard + standard.map(urlSafe)
        return forms.filter { $0.count >= minimumEncodedLength }
    }

    /// The base64 characters that depend on `bytes` alone when `offset` unknown bytes precede
    /// them in their 3-byte group and unknown bytes follow.
    private static func alignedFragment(of bytes: [UInt8], after offset: Int) -> String {
        let encoded = Array(Data(Array(repeating: 0, count: offset) + bytes).base64EncodedString())
        // A character is 6 bits: those holding any bit of the bytes before or after are dropped.
        let leading = (offset * 8 + 5) / 6
        let trailingBytes = (offset + bytes.count) % 3
        let fullGroups = (offset + bytes.count) / 3
        let end = fullGroups * 4 + trailingBytes * 8 / 6
        guard end > leading else { return "" }
        return String(encoded[leading..<end])
    }

    private static func urlSafe(_ base64: String) -> String {
        String(base64.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    // MARK: Percent encoding

    /// Masks every run of `text` that percent-decodes to a value (`%2F` or `%2f` for `/`, `+`
    /// for a space, any byte escaped or not, as the many URL encoders differ).
    private func maskPercentEncoded(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        var masked = false
        while index < bytes.count {
            if let length = valueBytes.lazy.compactMap({ Self.percentEncodedLength(of: $0, in: bytes, at: index) }).first {
                output.append(contentsOf: Self.mask.utf8)
                index += length
                masked = true
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return masked ? String(decoding: output, as: UTF8.self) : text
    }

    /// How many bytes of `text` from `start` spell `value`, each of its bytes as itself or escaped.
    private static func percentEncodedLength(of value: [UInt8], in text: [UInt8], at start: Int) -> Int? {
        var position = start
        for byte in value {
            guard position < text.count else { return nil }
            if text[position] == byte {
                position += 1
            } else if text[position] == UInt8(ascii: "%"), position + 2 < text.count,
                let high = hexDigit(text[position + 1]), let low = hexDigit(text[position + 2]), high << 4 | low == byte
            {
                position += 3
            } else if byte == UInt8(ascii: " "), text[position] == UInt8(ascii: "+") {
                position += 1
            } else {
                return nil
            }
        }
        return position - start
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
