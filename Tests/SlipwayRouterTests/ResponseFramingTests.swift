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

    @Test("sized bodies arrive whole and in order: a small one sent in parts, and one too large for the head's buffer")
    func deliversSizedBodiesWhole() async throws {
        try await RoutedBackends.run { routed in
            let connection = try await RawConnection.connect(port: routed.port)
            defer { connection.close() }
            try await connection.send(
                "GET /small-in-parts HTTP/1.1\r\nHost: t\r\n\r\n" + "GET /large HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            try await waitUntil("the last response closes the connection") { !connection.isOpen }

            let responses = try RawResponses(connection.response, bodiless: [false, false, false])
            #expect(responses.heads.map(\.statusLine) == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK"])
            #expect(responses.bodies == [TestBackend.smallBodyInParts, TestBackend.largeBody, "blue"])
        }
    }
}
