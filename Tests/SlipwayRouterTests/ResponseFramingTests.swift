import Foundation
import Testing

@testable import SlipwayRouter

@Suite("Response framing", .timeLimit(.minutes(2)))
struct ResponseFramingTests {
    @Test("chunked, HEAD, 204, 304 and sized responses follow one another on one kept-alive connection")
    func framesEveryKindOfResponse() async throws {
        try await RoutedBackends.run { routed in
            let connection = try await RawConnection.connect(port: routed.port)
            defer { connection.close() }
            try await connection.send(
                "GET /chunked HTTP/1.1\r\nHost: t\r\n\r\n" + "HEAD / HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET /no-content HTTP/1.1\r\nHost: t\r\n\r\n" + "GET /not-modified HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            try await waitUntil("the last response closes the connection") { !connection.isOpen }

            let responses = try RawResponses(connection.response, bodiless: [false, true, true, true, false])
            #expect(responses.heads.map(\.statusLine) == [
                "HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 204 No Content", "HTTP/1.1 304 Not Modified",
                "HTTP/1.1 200 OK",
            ])
            #expect(responses.bodies == ["blue", "", "", "", "blue"])
            #expect(responses.heads.allSatisfy { $0.fields["x-slipway-color"] == ["blue"] })

            let chunked = responses.heads[0].fields
            #expect(chunked["transfer-encoding"] == ["chunked"])
            #expect(chunked["x-kept"] == ["yes"])
            #expect(chunked["x-private"] == nil && chunked["connection"] == nil)
            #expect(responses.heads[1].fields["content-length"] == ["4"])
            for head in responses.heads[2...3] {
                #expect(head.fields["content-length"] == nil && head.fields["transfer-encoding"] == nil)
            }
            #expect(responses.heads[3].fields["etag"] == ["\"1\""])
            #expect(responses.heads[4].fields["connection"] == ["close"])
            #expect(routed.blue.acceptedConnections == 1)
        }
    }

    @Test("a body of unknown length goes to an HTTP/1.0 client as it is, ended by the close")
    func endsUnsizedBodiesByClosingForHTTP10() async throws {
        try await RoutedBackends.run { routed in
            let connection = try await RawConnection.connect(port: routed.port)
            defer { connection.close() }
            try await connection.send("GET /chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            try await waitUntil("the response closes the connection") { !connection.isOpen }

            let text = connection.response
            #expect(text.hasPrefix("HTTP/1.0 200 OK\r\n"))
            #expect(text.lowercased().contains("\r\nconnection: close\r\n"))
            #expect(!text.lowercased().contains("transfer-encoding"))
            #expect(text.hasSuffix("\r\n\r\nblue"))
        }
    }
}

/// Responses one after another on a connection, split as a client would split them: no body after
/// a head that has none, otherwise by Content-Length, by chunks, or up to the close. Lengths count
/// bytes, so the text is cut through its UTF-8 view: "\r\n" is one `Character`.
private struct RawResponses {
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

@Suite("Forwarded requests", .timeLimit(.minutes(2)))
struct ForwardedRequestTests {
    @Test("the upstream gets HTTP/1.1 without hop-by-hop headers or Expect, with X-Forwarded-* and the body's length")
    func rewritesTheRequestHead() async throws {
        try await RoutedBackends.run { routed in
            let connection = try await RawConnection.connect(port: routed.port)
            defer { connection.close() }
            try await connection.send(
                "POST /headers HTTP/1.1\r\nHost: test.local\r\nConnection: keep-alive, X-Private\r\nX-Private: 1\r\n"
                    + "Keep-Alive: timeout=5\r\nTE: trailers\r\nX-Forwarded-For: 10.0.0.1\r\nX-Kept: a\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
                    + "POST /headers HTTP/1.1\r\nHost: test.local\r\nX-Forwarded-Proto: https\r\n"
                    + "X-Forwarded-Host: example.test\r\nConnection: close\r\n\r\n")
            try await waitUntil("both requests are answered") { !connection.isOpen }

            let responses = try RawResponses(connection.response, bodiless: [false, false])
            #expect(responses.bodies[0].split(separator: "\n") == [
                "POST /headers HTTP/1.1", "Host: test.local", "X-Kept: a", "content-length: 3",
                "x-forwarded-for: 10.0.0.1, 127.0.0.1", "x-forwarded-proto: http", "x-forwarded-host: test.local",
                "body: 3",
            ])
            // A POST without a body is told so; forwarded headers the client set are kept.
            #expect(responses.bodies[1].split(separator: "\n") == [
                "POST /headers HTTP/1.1", "Host: test.local", "X-Forwarded-Proto: https", "X-Forwarded-Host: example.test",
                "content-length: 0", "x-forwarded-for: 127.0.0.1", "body: 0",
            ])
        }
    }
}
