import Foundation
@testable import SlipwayCore
import Testing

/// An agent outlives rebuilds of its binary: it must start slots from the new binary at the same path.
@Suite struct ExecutablePathTests {
    @Test func aRebuiltBinaryIsFoundAtItsPath() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("slipway-exe-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let binary = folder.appendingPathComponent("slipway").path
        #expect(FileManager.default.createFile(atPath: binary, contents: Data("#!/bin/sh\n".utf8), attributes: [.posixPermissions: 0o755]))
        #expect(DetachedProcess.executable(fromLink: binary + " (deleted)") == binary)
        #expect(DetachedProcess.executable(fromLink: binary) == binary)
    }

    @Test func aBinaryThatIsGoneForGoodKeepsItsLink() {
        let link = "/nonexistent/slipway (deleted)"
        #expect(DetachedProcess.executable(fromLink: link) == link)
    }
}
