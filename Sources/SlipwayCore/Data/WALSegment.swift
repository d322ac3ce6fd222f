import Foundation

/// One file of the WAL archive: a 16 MB segment (`000000010000000000000003`), or a timeline's
/// `.history` or a base backup's `.backup` label, which the archive also receives.
public struct WALSegment: Sendable, Equatable {
    public var name: String
    /// When `archive_command` copied it in: every commit in it happened before.
    public var archived: Date
    public var bytes: Int64

    public init(name: String, archived: Date, bytes: Int64) {
        self.name = name
        self.archived = archived
        self.bytes = bytes
    }

    /// Whether the name is a segment's: 24 hexadecimal digits (timeline, log, segment).
    public var isSegment: Bool { Self.isSegmentName(name) }

    /// The log and segment digits without the timeline, which order segments across timelines
    /// (as `pg_archivecleanup` compares them).
    public var position: Substring? {
        let stem = name.prefix(24)
        return Self.isSegmentName(String(stem)) && !name.hasSuffix(".history") ? stem.dropFirst(8) : nil
    }

    static func isSegmentName(_ name: String) -> Bool {
        name.utf8.count == 24 && name.utf8.allSatisfy { ("0"..."9").contains(Character(UnicodeScalar($0))) || ("A"..."F").contains(Character(UnicodeScalar($0))) }
    }
}
