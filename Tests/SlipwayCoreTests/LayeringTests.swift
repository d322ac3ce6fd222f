import Foundation
import Testing

/// SlipwayCore's folders depend one way, lower first: Support <- Workspace <- Store <- Targets <-
/// Release, Pipeline, Gates, Health, Data, Secrets (peers) <- ReadModel <- the engine (the files
/// directly in SlipwayCore) <- Demo. A file may name types of its own folder, its peers and the
/// folders below; naming a type declared above is a back edge. The one type handed down is
/// `Engine`, the context the parts that act (Targets and up) are given; `extension Engine` in a
/// folder is that folder adding to the facade. See ``SourceLayering`` for how names are read.
@Suite struct LayeringTests {
    static let layering = SourceLayering(
        order: [
            ["Support"], ["Workspace"], ["Store"], ["Targets"], ["Release", "Pipeline", "Gates", "Health", "Data", "Secrets"],
            ["ReadModel"], ["Engine"], ["Demo"],
        ],
        handedDown: ["Engine": "Targets"])

    static var sources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/SlipwayCore")
    }

    /// SlipwayCore's Swift files, relative to it.
    static func sourceFiles() throws -> [(path: String, text: String)] {
        let paths = try FileManager.default.subpathsOfDirectory(atPath: sources.path).filter { $0.hasSuffix(".swift") }.sorted()
        return try paths.map { ($0, try String(contentsOf: sources.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test func slipwayCoreFoldersDependOneWay() throws {
        let files = try Self.sourceFiles()
        #expect(files.count > 200, "read \(files.count) files from \(Self.sources.path)")
        let edges = Self.layering.backEdges(in: files)
        #expect(edges.isEmpty, "back edges:\n\(edges.map(\.description).joined(separator: "\n"))")
    }

    @Test func everyFolderHasItsPlaceInTheOrder() throws {
        let folders = Set(try Self.sourceFiles().map { SourceLayering.folder(of: $0.path) })
        #expect(folders.filter { Self.layering.level(of: $0) == nil }.sorted() == [])
    }

    @Test func aTypeNamedFromBelowItsFolderIsABackEdge() {
        let edges = Self.layering.backEdges(in: [
            ("Health/AlertSeverity.swift", "public enum AlertSeverity { case page }\npublic struct Budget { public struct Rule {} }"),
            ("Store/AlertRecord.swift", "struct AlertRecord {\n    var severity: AlertSeverity\n    var rule: Budget.Rule\n}"),
            ("Store/Quiet.swift", ##"""
                // AlertSeverity
                /* Budget /* nested */ Budget */
                let text = "AlertSeverity \" Budget", raw = #"Budget \(Budget)"#
                let block = """
                    Budget "\(1)"
                    """
                """##),
            ("Store/Shown.swift", #"let text = "severity \(AlertSeverity.page) \("(")""#),
            ("Workspace/Shadow.swift", "struct Settings { enum AlertSeverity { case low } }\nlet low = AlertSeverity.low"),
            ("Release/Peer.swift", "let severity: AlertSeverity = .page"),
        ])
        #expect(edges.map(\.description) == [
            "Store/AlertRecord.swift -> Health (AlertSeverity, Budget.Rule)",
            "Store/Shown.swift -> Health (AlertSeverity)",
        ])
    }

    @Test func theEngineIsHandedToTargetsAndUpButNotBelow() {
        let edges = Self.layering.backEdges(in: [
            ("Engine.swift", "public struct Engine { var store: EventStore }"),
            ("Store/EventStore.swift", "public struct EventStore {}"),
            ("Store/Reopen.swift", "func reopen() -> Engine? { nil }"),
            ("Targets/LocalTarget.swift", "struct LocalTarget { var engine: Engine }"),
            ("Release/Engine+Drift.swift", "extension Engine { func drift() -> Drift { Drift() } }\nstruct Drift {}"),
            ("Workspace/Engine+Settings.swift", "extension Engine { var settings: Int { 0 } }"),
            ("Support/Deployer+Clock.swift", "extension Deployer { var now: Int { 0 } }"),
            ("Release/Deployer.swift", "struct Deployer {}"),
        ])
        #expect(edges.map(\.description) == [
            "Store/Reopen.swift -> Engine (Engine)",
            "Support/Deployer+Clock.swift -> Release (Deployer)",
        ])
    }
}
