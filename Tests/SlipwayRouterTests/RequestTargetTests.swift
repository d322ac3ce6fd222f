import NIOHTTP1
import Testing

@testable import SlipwayRouter

@Suite("Request target and Host")
struct RequestTargetTests {
    private func head(_ uri: String, host: [String], method: HTTPMethod = .GET, version: HTTPVersion = .http1_1)
        -> HTTPRequestHead
    {
        var head = HTTPRequestHead(version: version, method: method, uri: uri)
        for value in host {
            head.headers.add(name: "Host", value: value)
        }
        return head
    }

    @Test("a path with one Host, OPTIONS *, and HTTP/1.0 without Host are forwarded as they are")
    func ordinaryRequestsAreValid() {
        #expect(head("/a?b=c", host: ["test.local"]).target == .valid)
        #expect(head("*", host: ["test.local"], method: .OPTIONS).target == .valid)
        #expect(head("/", host: [], version: .http1_0).target == .valid)
    }

    @Test(arguments: [
        ("http://test.local/a?b", "test.local", "/a?b"),
        ("HTTP://TEST.local:80/", "test.local", "/"),
        ("https://test.local:443/x", "test.local", "/x"),
        ("http://test.local:8080?q=1", "Test.Local:8080", "/?q=1"),
    ])
    func absoluteTargetsNamingTheHostBecomePaths(uri: String, host: String, path: String) {
        #expect(head(uri, host: [host]).target == .sameHost(path: path))
    }

    @Test(arguments: [
        ("http://elsewhere.test/", ["test.local"]),
        ("http://test.local:8080/", ["test.local"]),
        ("http://attacker@test.local/", ["test.local"]),
        ("ftp://test.local/", ["test.local"]),
        ("test.local:443", ["test.local"]),
        ("http://test.local/", []),
        ("/", []),
        ("/", ["a.test", "b.test"]),
        ("/", [""]),
    ])
    func refusedLikeNginx(uri: String, host: [String]) {
        guard case .invalid = head(uri, host: host).target else {
            Issue.record("\(uri) with Host \(host) was not refused")
            return
        }
    }
}
