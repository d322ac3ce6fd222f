import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

@Suite struct DuplicationDetectorTests {
    static let block = (1...8).map { "    total += weight_\($0) * price[\($0)] - discount(\($0));" }.joined(separator: "\n")

    @Test func aCopyWithOtherLayoutAndCommentsIsStillACopy() throws {
        let folder = try TemporaryWorkspace(files: [
            "app/a.c": "int a(void) {\n" + Self.block + "\n}\n",
            // The same tokens, reflowed, with comments added: CPD and jscpd compare tokens, not text.
            "app/b.c": "/* copied */\nint a(void) {\n" + Self.block.replacingOccurrences(of: ";", with: "; // note\n") + "\n}\n",
            "app/c.c": (1...12).map { "int unrelated_\($0) = \($0 * 31);" }.joined(separator: "\n") + "\n",
            "app/node_modules/dep.c": "int a(void) {\n" + Self.block + "\n}\n",
        ])
        let lines = DuplicationDetector().duplicatedLines(in: folder.root.appendingPathComponent("app"), root: folder.root)
        #expect(lines["app/a.c"] == Set(1...10))
        #expect(lines["app/b.c"]?.contains(2) == true)
        #expect(lines["app/b.c"]?.contains(1) == false, "the comment line is not part of the clone")
        #expect(lines["app/c.c"] == nil)
        #expect(lines["app/node_modules/dep.c"] == nil, "dependencies are not scanned")
    }

    @Test func repetitionWithinOneRunIsNotACopyOfItself() throws {
        let folder = try TemporaryWorkspace(files: [
            "app/table.c": "int t[] = {\n" + Array(repeating: "0, ", count: 40).joined() + "\n};\n",
        ])
        let lines = DuplicationDetector().duplicatedLines(in: folder.root.appendingPathComponent("app"), root: folder.root)
        #expect(lines.isEmpty, "\(lines)")
    }
}
