import NIOCore
import Testing

@testable import SlipwayRouter

/// The router's own parser of upstream responses, fed bytes as a socket would hand them over: in
/// one read, and split in two at every byte, which must read the same.
@Suite("Upstream response parser")
struct UpstreamResponseParserTests {
    /// What the parser reported, body bytes joined between heads and ends.
    enum Part: Equatable, CustomStringConvertible {
        /// The status, the framing, keep-alive, and the head as it goes to an HTTP/1.1 client with no header added.
        case head(Int, UpstreamResponseHead.Framing, keepAlive: Bool, written: String)
        case body(String)
        case end

        var description: String {
            switch self {
            case .head(let status, let framing, let keepAlive, let written):
                "head(\(status), \(framing), keepAlive: \(keepAlive), \(written.debugDescription))"
            case .body(let text): "body(\(text.debugDescription))"
            case .end: "end"
            }
        }
    }

    /// Parses `reads` in order, then the close when `closes`; HEAD for the requests `toHEAD` marks.
    static func parse(
        _ reads: [String], toHEAD: [Bool] = [], passingChunks: Bool = true, closes: Bool = false
    ) throws(RouterError) -> [Part] {
        var parser = UpstreamResponseParser()
        var answered = 0
        parser.expectResponse(toHEAD: toHEAD.first ?? false, passingChunks: passingChunks)
        var parts: [Part] = []
        for read in reads {
            var buffer = ByteBuffer(string: read)
            while let event = try parser.next(&buffer) {
                switch event {
                case .head(let head):
                    let written = ByteBufferAllocator().httpHead("HTTP/1.1", passing: head)
                    parts.append(.head(head.statusCode, head.framing, keepAlive: head.isKeepAlive, written: String(buffer: written)))
                case .body(let bytes):
                    if case .body(let before) = parts.last {
                        parts[parts.count - 1] = .body(before + String(buffer: bytes))
                    } else {
                        parts.append(.body(String(buffer: bytes)))
                    }
                case .end:
                    parts.append(.end)
                    answered += 1
                    parser.expectResponse(toHEAD: answered < toHEAD.count && toHEAD[answered], passingChunks: passingChunks)
                }
            }
        }
        if closes, parser.finish() {
            parts.append(.end)
        }
        return parts
    }

    /// The parts of `text` in one read, checked to be the same for every split in two reads.
    static func parseSplitEverywhere(
        _ text: String, toHEAD: [Bool] = [], passingChunks: Bool = true, closes: Bool = false
    ) throws -> [Part] {
        let whole = try parse([text], toHEAD: toHEAD, passingChunks: passingChunks, closes: closes)
        let bytes = Array(text.utf8)
        for split in 1..<bytes.count {
            let reads = [String(decoding: bytes[..<split], as: UTF8.self), String(decoding: bytes[split...], as: UTF8.self)]
            let parts = try parse(reads, toHEAD: toHEAD, passingChunks: passingChunks, closes: closes)
            #expect(parts == whole, "split after byte \(split)")
        }
        return whole
    }

    static func isMalformed(_ text: String, toHEAD: Bool = false) -> Bool {
        do {
            _ = try parse([text], toHEAD: [toHEAD])
            return false
        } catch .malformedUpstreamResponse {
            return true
        } catch {
            return false
        }
    }

    @Test("a sized body follows its head, and the response ends with its last byte")
    func readsSizedBodies() throws {
        let parts = try Self.parseSplitEverywhere("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello")
        #expect(parts == [
            .head(200, .length(5), keepAlive: true, written: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\n"),
            .body("hello"), .end,
        ])
    }

    @Test("a Content-Length given twice with the same value is one length")
    func readsARepeatedContentLength() throws {
        let parts = try Self.parseSplitEverywhere("HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nhi")
        #expect(parts == [
            .head(200, .length(2), keepAlive: true, written: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\n"),
            .body("hi"), .end,
        ])
    }

    @Test("responses back to back in one read are each read whole, a zero length one with no body")
    func readsResponsesBackToBack() throws {
        let parts = try Self.parseSplitEverywhere(
            "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi",
            toHEAD: [false, false, false])
        #expect(parts == [
            .head(204, .none, keepAlive: true, written: "HTTP/1.1 204 No Content\r\n\r\n"), .end,
            .head(200, .length(0), keepAlive: true, written: "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"), .end,
            .head(200, .length(2), keepAlive: true, written: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"), .body("hi"), .end,
        ])
    }

    @Test("a chunked body passes as it came, sizes, extensions and trailers included, for a client that takes chunks")
    func passesChunkedBodies() throws {
        let body = "4;ext=1\r\nblue\r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n"
        let parts = try Self.parseSplitEverywhere("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
        #expect(parts == [.head(200, .chunked, keepAlive: true, written: "HTTP/1.1 200 OK\r\n\r\n"), .body(body), .end])
    }

    @Test("a chunked body gives its data alone for a client that takes no chunks")
    func dechunksForHTTP10() throws {
        let parts = try Self.parseSplitEverywhere(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n4\r\nblue\r\n3\r\n-ok\r\n0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
            toHEAD: [false, false], passingChunks: false)
        #expect(parts == [
            .head(200, .chunked, keepAlive: true, written: "HTTP/1.1 200 OK\r\n\r\n"), .body("blue-ok"), .end,
            .head(204, .none, keepAlive: true, written: "HTTP/1.1 204 No Content\r\n\r\n"), .end,
        ])
    }

    @Test("a body without length or chunks runs until the close, and the connection is not kept")
    func readsBodiesUntilTheClose() throws {
        let parts = try Self.parseSplitEverywhere("HTTP/1.1 200 OK\r\nX-A: b\r\n\r\nall of it", closes: true)
        #expect(parts == [
            .head(200, .untilClose, keepAlive: false, written: "HTTP/1.1 200 OK\r\nX-A: b\r\n\r\n"), .body("all of it"), .end,
        ])
        // A close before a head ends, or in a sized body, cuts the response short: no end.
        #expect(try Self.parse(["HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nall"], closes: true).last == .body("all"))
        #expect(try Self.parse(["HTTP/1.1 200 OK\r\n"], closes: true).isEmpty)
    }

    @Test("informational heads are dropped; the response proper follows")
    func dropsInformationalHeads() throws {
        let parts = try Self.parseSplitEverywhere(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx")
        #expect(parts == [.head(200, .length(1), keepAlive: true, written: "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n"), .body("x"), .end])
    }

    @Test("the answer to HEAD, a 204 and a 304 have no body whatever their head says; only a status without a body loses its length")
    func readsBodilessResponses() throws {
        let parts = try Self.parseSplitEverywhere(
            "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n" + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "HTTP/1.1 304 Not Modified\r\nContent-Length: 4\r\nETag: \"1\"\r\n\r\n",
            toHEAD: [true, true, false])
        #expect(parts == [
            .head(200, .none, keepAlive: true, written: "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n"), .end,
            .head(200, .none, keepAlive: true, written: "HTTP/1.1 200 OK\r\n\r\n"), .end,
            .head(304, .none, keepAlive: true, written: "HTTP/1.1 304 Not Modified\r\nETag: \"1\"\r\n\r\n"), .end,
        ])
    }

    @Test("hop-by-hop lines, the ones Connection names and X-Slipway-Color are cut; the rest pass as they came, in order")
    func cutsHopByHopLines() throws {
        let head =
            "HTTP/1.1 200 Fine Thanks\r\nA: 1\r\nConnection: Keep-Alive, X-Private\r\nKeep-Alive: timeout=5\r\nTE: trailers\r\n"
            + "x-private: secret\r\nB:  two  \r\nUpgrade: h2c\r\nProxy-Connection: close\r\nTrailer: x\r\nX-Slipway-Color: green\r\n"
            + "X-PRIVATE: again\r\nContent-Length: 0\r\nC:3\r\n\r\n"
        let parts = try Self.parseSplitEverywhere(head)
        #expect(parts == [
            .head(200, .length(0), keepAlive: true, written: "HTTP/1.1 200 Fine Thanks\r\nA: 1\r\nB:  two  \r\nContent-Length: 0\r\nC:3\r\n\r\n"),
            .end,
        ])
    }

    @Test("a head of more than 64 lines keeps and cuts lines past the 64th as well")
    func cutsLinesPastTheSixtyFourth() throws {
        let filler = (0..<70).map { "X-\($0): v\r\n" }.joined()
        let parts = try Self.parse(["HTTP/1.1 200 OK\r\n" + filler + "Connection: x-69\r\nTE: x\r\nContent-Length: 0\r\nX-70: w\r\n\r\n"])
        let kept = (0..<69).map { "X-\($0): v\r\n" }.joined()
        #expect(parts == [.head(200, .length(0), keepAlive: true, written: "HTTP/1.1 200 OK\r\n" + kept + "Content-Length: 0\r\nX-70: w\r\n\r\n"), .end])
    }

    @Test("the version and Connection decide whether the upstream keeps the connection")
    func readsKeepAlive() throws {
        func keepAlive(_ head: String) throws -> Bool? {
            if case .head(_, _, let keepAlive, _) = try Self.parse([head + "Content-Length: 0\r\n\r\n"]).first { keepAlive } else { nil }
        }
        #expect(try keepAlive("HTTP/1.1 200 OK\r\n") == true)
        #expect(try keepAlive("HTTP/1.1 200 OK\r\nConnection: close\r\n") == false)
        #expect(try keepAlive("HTTP/1.0 200 OK\r\n") == false)
        #expect(try keepAlive("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n") == true)
        #expect(try keepAlive("HTTP/1.1 200\r\n") == true)
    }

    @Test("empty lines before a head are passed over")
    func skipsEmptyLinesBeforeAHead() throws {
        let parts = try Self.parseSplitEverywhere("\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")
        #expect(parts == [.head(204, .none, keepAlive: true, written: "HTTP/1.1 204 No Content\r\n\r\n"), .end])
    }

    @Test(
        "malformed responses are refused",
        arguments: [
            "HTTP/2 200 OK\r\n\r\n",
            "HTTP/1.1 20 OK\r\n\r\n",
            "ICY 200 OK\r\n\r\n",
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-A: a\r\n folded\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-A: a\nX-B: b\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX A: a\r\n\r\n",
            "HTTP/1.1 200 OK\r\n: a\r\n\r\n",
            "HTTP/1.1 200 OK\r\nX-A: \u{0}\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: \u{1}\r\n\r\n",
        ])
    func refusesMalformedResponses(_ text: String) {
        #expect(Self.isMalformed(text))
    }

    /// Whether a head made of `bytes` (raw, so bytes past ASCII go as they are) is refused.
    static func isMalformed(bytes: [UInt8]) -> Bool {
        var parser = UpstreamResponseParser()
        parser.expectResponse(toHEAD: false, passingChunks: true)
        var buffer = ByteBuffer(bytes: bytes)
        do {
            while try parser.next(&buffer) != nil {}
            return false
        } catch {
            return true
        }
    }

    @Test("a header name is made of RFC 9110's token characters and nothing else, byte for byte")
    func headerNamesTakeTokenCharactersOnly() {
        let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        // A colon would only end the name early.
        for byte in UInt8.min...UInt8.max where byte != UInt8(ascii: ":") {
            let head = Array("HTTP/1.1 200 OK\r\nX".utf8) + [byte] + Array("A: v\r\nContent-Length: 0\r\n\r\n".utf8)
            #expect(Self.isMalformed(bytes: head) == !tokenCharacters.contains(byte), "byte \(byte) in a name")
        }
    }

    @Test("a header value takes tabs, visible characters and bytes past ASCII, and refuses every other control byte, wherever it stands")
    func headerValuesRefuseControlBytes() {
        // Values are checked eight bytes at a time: each byte goes at every place of a value two words long.
        for byte in UInt8.min...UInt8.max {
            let allowed = byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte != 0x7F)
            for place in 0..<17 {
                var value = Array(repeating: UInt8(ascii: "v"), count: 17)
                value[place] = byte
                let head = Array("HTTP/1.1 200 OK\r\nX-A: ".utf8) + value + Array("\r\nContent-Length: 0\r\n\r\n".utf8)
                #expect(Self.isMalformed(bytes: head) == !allowed, "byte \(byte) at \(place) of a value")
            }
        }
    }

    @Test("a head longer than the limit is refused, whole or still coming; one at the limit is read")
    func refusesHeadsTooLarge() throws {
        let start = "HTTP/1.1 200 OK\r\nX-Long: "
        let end = "\r\nContent-Length: 0\r\n\r\n"
        let fits = start + String(repeating: "a", count: UpstreamResponseParser.maximumHeadLength - start.utf8.count - end.utf8.count) + end
        #expect(try Self.parse([fits]).last == .end)
        let tooLong = start + String(repeating: "a", count: UpstreamResponseParser.maximumHeadLength - start.utf8.count - end.utf8.count + 1) + end
        #expect(Self.isMalformed(tooLong))
        #expect(throws: RouterError.self) {
            try Self.parse([start, String(repeating: "a", count: UpstreamResponseParser.maximumHeadLength)])
        }
    }
}
