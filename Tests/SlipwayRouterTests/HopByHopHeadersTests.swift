import NIOHTTP1
import Testing

@testable import SlipwayRouter

@Suite("Hop-by-hop headers")
struct HopByHopHeadersTests {
    @Test("connection headers and the ones Connection names go, in any case; the rest stay in order")
    func dropsHopByHopHeaders() {
        let headers = HTTPHeaders([
            ("Host", "example.test"), ("Connection", " Keep-Alive ,X-Private\t"), ("keep-alive", "timeout=5"),
            ("TE", "trailers"), ("Transfer-Encoding", "chunked"), ("x-private", "1"), ("X-Kept", "a"),
            ("Upgrade", "websocket"), ("Proxy-Connection", "close"), ("Trailer", "x"), ("x-kept", "b"),
        ])
        let hopByHop = HopByHopHeaders(of: headers)
        #expect(headers.filter { !hopByHop.contains($0.name) }.map { "\($0.name): \($0.value)" } == [
            "Host: example.test", "X-Kept: a", "x-kept: b",
        ])
    }

    @Test("headers without any hop-by-hop ones are left as they are")
    func leavesOtherHeaders() {
        let headers = HTTPHeaders([("Host", "example.test"), ("Content-Length", "2"), ("Connectionx", "y")])
        let hopByHop = HopByHopHeaders(of: headers)
        #expect(headers.filter { !hopByHop.contains($0.name) }.map(\.name) == ["Host", "Content-Length", "Connectionx"])
    }
}
