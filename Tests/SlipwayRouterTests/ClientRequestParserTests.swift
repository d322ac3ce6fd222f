import NIOCore
import NIOHTTP1
import Testing

@testable import SlipwayRouter

/// The router's own parser of client requests, fed bytes as a socket would hand them over: in one
/// read, and split in two at every byte, which must read the same. Each request read is shown as
/// the upstream gets it (``UpstreamRequestWriter``), from a client at 192.0.2.1.
@Suite("Client request parser")
struct ClientRequestParserTests {
    /// A whole request as the parser read it.
    struct Request: Equatable, CustomStringConvertible {
        var method: HTTPMethod
        var version: HTTPVersion
        var keepAlive: Bool
        var expectsContinue: Bool
        /// The request as written to the upstream, head and body.
        var upstream: String

        var description: String {
            "\(method) \(version) keepAlive: \(keepAlive) continue: \(expectsContinue) \(upstream.debugDescription)"
        }
    }

    /// Parses `reads` in order; requests not complete at the end are left out.
    static func parse(_ reads: [String]) throws(RouterError) -> [Request] {
        var parser = ClientRequestParser()
        var requests: [Request] = []
        var head: ClientRequestHead?
        var body: ByteBuffer?
        for read in reads {
            var buffer = ByteBuffer(string: read)
            while let event = try parser.next(&buffer) {
                switch event {
                case .head(let started):
                    head = started
                    body = nil
                case .body(var bytes):
                    if body == nil {
                        body = bytes
                    } else {
                        body?.writeBuffer(&bytes)
                    }
                case .end:
                    guard let head else {
                        Issue.record("an end without a head")
                        continue
                    }
                    let upstream = UpstreamRequestWriter.encode(
                        head, path: nil, body: body, from: "192.0.2.1", allocator: ByteBufferAllocator())
                    requests.append(Request(
                        method: head.method, version: head.version, keepAlive: head.isKeepAlive,
                        expectsContinue: head.expectsContinue, upstream: String(buffer: upstream)))
                }
            }
        }
        return requests
    }

    /// What `text` reads as, or its refusal, whole and split in two at every byte, which must agree.
    static func parseSplitEverywhere(_ text: String) -> Result<[Request], RouterError> {
        let whole = Result { () throws(RouterError) in try parse([text]) }
        let bytes = Array(text.utf8)
        for split in 1..<bytes.count {
            let reads = [String(decoding: bytes[..<split], as: UTF8.self), String(decoding: bytes[split...], as: UTF8.self)]
            let parts = Result { () throws(RouterError) in try parse(reads) }
            #expect(parts == whole, "split after byte \(split)")
        }
        return whole
    }

    static let forwarded = "x-forwarded-for: 192.0.2.1\r\nx-forwarded-proto: http\r\n"

    @Test("a GET goes upstream as it came, with X-Forwarded-* added")
    func readsAGet() throws {
        let requests = try Self.parseSplitEverywhere("GET /a?b=c HTTP/1.1\r\nHost: t.test\r\nX-A:  b \r\nx-b:c\r\n\r\n").get()
        #expect(requests == [
            Request(
                method: .GET, version: .http1_1, keepAlive: true, expectsContinue: false,
                upstream: "GET /a?b=c HTTP/1.1\r\nHost: t.test\r\nX-A:  b \r\nx-b:c\r\n" + Self.forwarded
                    + "x-forwarded-host: t.test\r\n\r\n")
        ])
    }

    @Test("a sized body follows its head, and goes upstream with its length")
    func readsSizedBodies() throws {
        let requests = try Self.parseSplitEverywhere(
            "POST /p HTTP/1.1\r\nContent-Length: 5\r\nHost: t\r\nX-Forwarded-Host: h\r\n\r\nhello"
        ).get()
        #expect(requests.map(\.upstream) == [
            "POST /p HTTP/1.1\r\nHost: t\r\nX-Forwarded-Host: h\r\ncontent-length: 5\r\n" + Self.forwarded + "\r\nhello"
        ])
    }

    @Test("a Content-Length given twice with the same value is one length")
    func readsARepeatedContentLength() throws {
        let requests = try Self.parseSplitEverywhere(
            "POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nhi"
        ).get()
        #expect(requests.map(\.upstream) == [
            "POST /p HTTP/1.1\r\nHost: t\r\ncontent-length: 2\r\n" + Self.forwarded + "x-forwarded-host: t\r\n\r\nhi"
        ])
    }

    @Test("a chunked body's data goes upstream with its length; sizes, extensions and trailers stop here")
    func readsChunkedBodies() throws {
        let requests = try Self.parseSplitEverywhere(
            "PUT / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nX-T: 1\r\n\r\n"
        ).get()
        #expect(requests.map(\.upstream) == [
            "PUT / HTTP/1.1\r\nHost: t\r\ncontent-length: 5\r\n" + Self.forwarded + "x-forwarded-host: t\r\n\r\nabcde"
        ])
    }

    @Test("a POST without a body is told so; a GET with a zero length keeps its length")
    func statesEmptyBodies() throws {
        let requests = try Self.parseSplitEverywhere(
            "POST / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n"
                + "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
        ).get()
        let empty = "content-length: 0\r\n" + Self.forwarded + "x-forwarded-host: t\r\n\r\n"
        #expect(requests.map(\.upstream) == [
            "POST / HTTP/1.1\r\nHost: t\r\n" + empty, "GET / HTTP/1.1\r\nHost: t\r\n" + empty,
            "POST / HTTP/1.1\r\nHost: t\r\n" + empty,
        ])
    }

    @Test("pipelined requests in one read are each read whole, in order")
    func readsPipelinedRequests() throws {
        let requests = try Self.parseSplitEverywhere(
            "GET /1 HTTP/1.1\r\nHost: t\r\n\r\nPOST /2 HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi"
                + "HEAD /3 HTTP/1.0\r\n\r\nDELETE /4 HTTP/1.1\r\nHost: t\r\n\r\n"
        ).get()
        #expect(requests.map(\.method) == [.GET, .POST, .HEAD, .DELETE])
        #expect(requests.map { $0.upstream.prefix { $0 != "\r\n" } } == [
            "GET /1 HTTP/1.1", "POST /2 HTTP/1.1", "HEAD /3 HTTP/1.1", "DELETE /4 HTTP/1.1",
        ])
        #expect(requests[1].upstream.hasSuffix("\r\n\r\nhi"))
        #expect(requests[2].version == .http1_0)
    }

    @Test("Expect: 100-continue is noted in any case and not sent upstream; another expectation is not noted")
    func readsExpect() throws {
        let requests = try Self.parseSplitEverywhere(
            "PUT / HTTP/1.1\r\nHost: t\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nhi"
                + "PUT / HTTP/1.1\r\nHost: t\r\nExpect: something\r\n\r\n"
        ).get()
        #expect(requests.map(\.expectsContinue) == [true, false])
        #expect(requests.allSatisfy { !$0.upstream.lowercased().contains("expect") })
    }

    @Test(
        "keep-alive follows the version and the Connection header",
        arguments: [
            ("GET / HTTP/1.1\r\nHost: t\r\n\r\n", true),
            ("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", false),
            ("GET / HTTP/1.1\r\nHost: t\r\nConnection: x-a, CLOSE\r\n\r\n", false),
            ("GET / HTTP/1.0\r\n\r\n", false),
            ("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
        ])
    func readsKeepAlive(_ text: String, keepAlive: Bool) throws {
        #expect(try Self.parseSplitEverywhere(text).get().map(\.keepAlive) == [keepAlive])
    }

    @Test("hop-by-hop lines and the ones Connection names are cut in any case; X-Forwarded-For is joined")
    func cutsHopByHopLines() throws {
        let requests = try Self.parseSplitEverywhere(
            "OPTIONS * HTTP/1.1\r\nHost: t\r\nConnection:  Keep-Alive ,X-Private\t\r\nkeep-alive: timeout=5\r\nTE: trailers\r\n"
                + "x-private: 1\r\nX-Kept: a\r\nUpgrade: websocket\r\nProxy-Connection: close\r\nTrailer: x\r\n"
                + "X-Forwarded-For: 10.0.0.1\r\nx-forwarded-for: 10.0.0.2, 10.0.0.3\r\nX-Forwarded-Proto: https\r\n"
                + "Connectionx: y\r\n\r\n"
        ).get()
        #expect(requests.map(\.upstream) == [
            "OPTIONS * HTTP/1.1\r\nHost: t\r\nX-Kept: a\r\nX-Forwarded-Proto: https\r\nConnectionx: y\r\n"
                + "x-forwarded-for: 10.0.0.1, 10.0.0.2, 10.0.0.3, 192.0.2.1\r\nx-forwarded-host: t\r\n\r\n"
        ])
    }

    @Test("empty lines before a request are passed over, and a head of over 64 lines is read whole")
    func readsEmptyLinesAndLongHeads() throws {
        let lines = (0..<70).map { "X-\($0): \($0)\r\n" }.joined()
        let requests = try Self.parse(["\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\(lines)Te: x\r\nX-Last: 1\r\n\r\n"])
        #expect(requests.map(\.upstream) == [
            "GET / HTTP/1.1\r\nHost: t\r\n\(lines)X-Last: 1\r\n" + Self.forwarded + "x-forwarded-host: t\r\n\r\n"
        ])
    }

    @Test(
        "malformed requests are refused, each for its reason",
        arguments: [
            ("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", "both Content-Length and Transfer-Encoding"),
            ("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n", "both Content-Length and Transfer-Encoding"),
            ("GET / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi", "two different Content-Length values"),
            ("GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", "a Content-Length that is not a number"),
            ("GET / HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\n", "a Content-Length that is not a number"),
            ("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", "a Content-Length that is not a number"),
            ("GET / HTTP/1.1\r\nContent-Length:\r\n\r\n", "an empty Content-Length"),
            ("GET / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "a Transfer-Encoding with a coding after chunked"),
            ("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", "a Transfer-Encoding with a coding after chunked"),
            ("GET / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "a Transfer-Encoding whose last coding is not chunked"),
            ("GET / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n", "a Transfer-Encoding whose last coding is not chunked"),
            ("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "a Transfer-Encoding in an HTTP/1.0 request"),
            ("GET / HTTP/1.1\r\nX-A: a\r\n folded\r\n\r\n", "a header line without a name and a colon"),
            ("GET / HTTP/1.1\r\nX A: a\r\n\r\n", "a header line without a name and a colon"),
            ("GET / HTTP/1.1\r\n: a\r\n\r\n", "a header line without a name and a colon"),
            ("GET / HTTP/1.1\r\nNo colon here\r\n\r\n", "a header line without a name and a colon"),
            ("GET / HTTP/1.1\r\nX-A: a\nX-B: b\r\n\r\n", "a head line ended by a line feed alone"),
            ("GET / HTTP/1.1\nHost: t\n\n", "a head line ended by a line feed alone"),
            ("GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n", "a header line without its line end"),
            ("GET / HTTP/1.1\r\nX-A: \u{0}\r\n\r\n", "a control byte in a header value"),
            ("G(T / HTTP/1.1\r\n\r\n", "a request line without a method"),
            (" GET / HTTP/1.1\r\n\r\n", "a request line without a method"),
            ("GET  / HTTP/1.1\r\n\r\n", "a request line without a target"),
            ("GET /\u{1} HTTP/1.1\r\n\r\n", "a request line without a target"),
            ("GET / HTTP/2.0\r\n\r\n", "a request line without HTTP/1.0 or HTTP/1.1 and its line end"),
            ("GET / http/1.1\r\n\r\n", "a request line without HTTP/1.0 or HTTP/1.1 and its line end"),
            ("GET / HTTP/1.1 \r\n\r\n", "a request line without HTTP/1.0 or HTTP/1.1 and its line end"),
            ("GET /\r\n\r\n", "a request line without a target"),
            ("NOT HTTP AT ALL\r\n\r\n", "a request line without HTTP/1.0 or HTTP/1.1 and its line end"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n", "a chunk without a size"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", "chunk data longer than its size"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n", "a chunk size that is not hexadecimal"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n", "a chunk size too large"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;\u{1}\r\n", "a control byte in a chunk extension"),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: \u{1}\r\n\r\n", "a control byte in a trailer"),
        ])
    func refusesMalformedRequests(_ text: String, reason: String) {
        #expect(Self.parseSplitEverywhere(text) == .failure(.malformedRequest(reason)))
    }

    @Test("a head over 80 KiB, and chunk framing over 80 KiB in one body, are refused")
    func limitsHeadsAndChunkFraming() throws {
        let longHead = "GET / HTTP/1.1\r\nX-A: " + String(repeating: "a", count: 80 * 1024) + "\r\n\r\n"
        #expect(throws: RouterError.malformedRequest("a head of over 81920 bytes")) { try Self.parse([longHead]) }
        let longExtension =
            "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1;" + String(repeating: "e", count: 80 * 1024)
        #expect(throws: RouterError.malformedRequest("chunk sizes, extensions and trailers of over 81920 bytes")) {
            try Self.parse([longExtension])
        }
        // Just under the limits, both are read.
        let longest = "GET / HTTP/1.1\r\nX-A: " + String(repeating: "a", count: 80 * 1024 - 26) + "\r\n\r\n"
        #expect(try Self.parse([longest]).count == 1)
    }

    @Test("after a refusal nothing more is read, not even a well-formed request")
    func readsNothingAfterARefusal() throws {
        var parser = ClientRequestParser()
        var buffer = ByteBuffer(string: "GET / HTTP/1.1\r\nX A: a\r\n\r\n")
        #expect(throws: RouterError.self) { try parser.next(&buffer) }
        var next = ByteBuffer(string: "GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        let event = try parser.next(&next)
        #expect(event == nil)
        #expect(next.readableBytes == 0)
    }

    @Test("the start of a head is held until its end arrives")
    func holdsAPartialHead() throws {
        var parser = ClientRequestParser()
        var start = ByteBuffer(string: "GET / HTTP/1.1\r\nHo")
        let event = try parser.next(&start)
        #expect(event == nil)
        #expect(parser.holdsPartialHead)
        var rest = ByteBuffer(string: "st: t\r\n\r\n")
        guard case .head(let head) = try parser.next(&rest) else {
            Issue.record("no head")
            return
        }
        #expect(head.hostText == "t")
        #expect(!parser.holdsPartialHead)
    }
}
