import Foundation

/// Responses one after another on a connection, split as a client would split them: no body after
/// a head that has none, otherwise by Content-Length, by chunks, or up to the close. Lengths count
/// bytes, so the text is cut through its UTF-8 view: "\r\n" is one `Character`.
struct RawResponses {
    struct Head {
        let statusLine: String
        /// Lowercased names, values in order.
        let fields: [String: [String]]
    }

    struct Malformed: Error {
        let rest: String
    }

    var heads: [Head] = []
    var bodies: [String] = []

    init(_ text: String, bodiless: [Bool]) throws {
        var rest = Substring(text)
        for hasNoBody in bodiless {
            guard let endOfHead = rest.range(of: "\r\n\r\n") else { throw Malformed(rest: String(rest)) }
            let lines = rest[..<endOfHead.lowerBound].components(separatedBy: "\r\n")
            rest = rest[endOfHead.upperBound...]
            var fields: [String: [String]] = [:]
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                let value = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
                fields[parts[0].lowercased(), default: []].append(value)
            }
            heads.append(Head(statusLine: lines[0], fields: fields))
            if hasNoBody {
                bodies.append("")
            } else if let length = fields["content-length"]?.first.flatMap(Int.init) {
                bodies.append(String(Substring(rest.utf8.prefix(length))))
                rest = Substring(rest.utf8.dropFirst(length))
            } else if fields["transfer-encoding"] == ["chunked"] {
                var body = ""
                while true {
                    guard let endOfSize = rest.range(of: "\r\n"), let size = Int(rest[..<endOfSize.lowerBound], radix: 16)
                    else { throw Malformed(rest: String(rest)) }
                    rest = rest[endOfSize.upperBound...]
                    body += Substring(rest.utf8.prefix(size))
                    rest = Substring(rest.utf8.dropFirst(size))
                    guard rest.utf8.starts(with: "\r\n".utf8) else { throw Malformed(rest: String(rest)) }
                    rest = Substring(rest.utf8.dropFirst(2))
                    if size == 0 { break }
                }
                bodies.append(body)
            } else {
                bodies.append(String(rest))
                rest = ""
            }
        }
        guard rest.isEmpty else { throw Malformed(rest: String(rest)) }
    }
}
