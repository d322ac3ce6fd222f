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

    /// The answer of a route whose blue upstream answers `answer` to `request`.
    private func exchange(_ request: String, answer: String, thenClosing closes: Bool) async throws -> String {
        let backend = try await RawBackend.start(answering: answer, thenClosing: closes)
        let router = TrafficRouter(configuration: .forTests, numberOfThreads: 1)
        do {
            let port = try await router.addRoute(name: "web")
            try router.setUpstream(route: "web", color: .blue, host: "127.0.0.1", port: backend.port)
            let connection = try await RawConnection.connect(port: port)
            defer { connection.close() }
            try await connection.send(request)
            try await waitUntil("the response closes the connection") { !connection.isOpen }
            try? await router.shutdown()
            await backend.stop()
            return connection.response
        } catch {
            try? await router.shutdown()
            await backend.stop()
            throw error
        }
    }

    @Test("an upstream's chunks reach an HTTP/1.1 client as they came, extensions and trailers included")
    func passesChunksAsTheyCame() async throws {
        let body = "3;x=y\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n"
        let text = try await exchange(
            "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
            answer: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Slipway-Color: fake\r\nX-Kept: 1\r\n\r\n" + body,
            thenClosing: false)
        #expect(text == "HTTP/1.1 200 OK\r\nX-Kept: 1\r\nx-slipway-color: blue\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n" + body)
    }

    @Test("a body that runs until the upstream closes goes to an HTTP/1.1 client in chunks")
    func chunksBodiesEndedByTheClose() async throws {
        let text = try await exchange(
            "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", answer: "HTTP/1.1 200 OK\r\n\r\nuntil the close",
            thenClosing: true)
        let responses = try RawResponses(text, bodiless: [false])
        #expect(responses.heads.first?.fields["transfer-encoding"] == ["chunked"])
        #expect(responses.bodies == ["until the close"])
    }

    @Test(
        "a malformed upstream response is answered 502",
        arguments: [
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-A: a\r\n folded\r\nContent-Length: 0\r\n\r\n",
            "SSH-2.0-OpenSSH\r\n\r\n",
        ])
    func answersMalformedResponsesWith502(_ answer: String) async throws {
        let text = try await exchange(
            "GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", answer: answer, thenClosing: false)
        #expect(text.hasPrefix("HTTP/1.1 502 Bad Gateway\r\n"))
        #expect(text.contains("x-slipway-color: blue\r\n"))
    }
}
