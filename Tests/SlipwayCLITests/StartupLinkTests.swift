import Foundation
import SlipwayTestSupport
import Testing

/// Issue 15 item 2: what every command pays before it does anything is loading what the binary
/// links. FoundationNetworking brings libcurl and about 30 libraries of its own (TLS, Kerberos,
/// LDAP, SSH), FoundationXML brings libxml2: the HTTP calls go through async-http-client on the
/// NIO already linked and Cobertura reports through `XMLPieces`, so neither is linked. The time
/// this saves is measured in bench/startup.py, not here.
@Suite struct StartupLinkTests {
    @Test func theBinaryLinksNeitherFoundationNetworkingNorFoundationXML() throws {
        let folder = try TemporaryWorkspace()
        let ldd = try folder.run("/usr/bin/ldd", [SlipwayProcess.binary.path])
        try #require(ldd.status == 0, "\(ldd.output)")
        let libraries = ldd.output.split(separator: "\n").compactMap { $0.split(whereSeparator: \.isWhitespace).first.map(String.init) }
        #expect(libraries.contains { $0.hasPrefix("libc.so") }, "ldd listed the binary's libraries: \(ldd.output)")
        for unwanted in ["libFoundationNetworking", "libcurl", "libFoundationXML", "libxml2"] {
            #expect(!libraries.contains { $0.hasPrefix(unwanted) }, "\(unwanted) is linked: \(ldd.output)")
        }
    }
}
