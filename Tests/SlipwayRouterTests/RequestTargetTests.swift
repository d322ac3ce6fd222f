import NIOCore
import Testing

@testable import SlipwayRouter

@Suite("Request target and Host")
struct RequestTargetTests {
    private func head(_ uri: String, host: [String], method: String = "GET", version: String = "HTTP/1.1")
        throws -> ClientRequestHead
    {
        let lines = host.map { "Host: \($0)\r\n" }.joined()
        return try ClientRequestHead(ByteBuffer(string: "\(method) \(uri) \(version)\r\n\(lines)\r\n"))
    }

    @Test("a path with one Host, OPTIONS *, and HTTP/1.0 without Host are forwarded as they are")
    func ordinaryRequestsAreValid() throws {
        #expect(try head("/a?b=c", host: ["test.local"]).target == .valid)
        #expect(try head("*", host: ["test.local"], method: "OPTIONS").target == .valid)
        #expect(try head("/", host: [], version: "HTTP/1.0").target == .valid)
    }

    @Test(arguments: [
        ("http://test.local/a?b", "test.local", "/a?b"),
        ("HTTP://TEST.local:80/", "test.local", "/"),
        ("https://test.local:443/x", "test.local", "/x"),
        ("http://test.local:8080?q=1", "Test.Local:8080", "/?q=1"),
    ])
    func absoluteTargetsNamingTheHostBecomePaths(uri: String, host: String, path: String) throws {
        #expect(try head(uri, host: [host]).target == .sameHost(path: path))
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
    func refusedLikeNginx(uri: String, host: [String]) throws {
        guard case .invalid = try head(uri, host: host).target else {
            Issue.record("\(uri) with Host \(host) was not refused")
            return
        }
    }
}
