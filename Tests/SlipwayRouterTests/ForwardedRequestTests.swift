import Testing

@testable import SlipwayRouter

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
