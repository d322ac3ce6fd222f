/// A release version: by default the first 12 hex digits of the commit that last changed the
/// component, plus `-dirty` when its files have uncommitted changes.
public enum ReleaseVersion {
    public static let dirtySuffix = "-dirty"

    /// Whether `text` is safe as a folder name and a make argument: no `/`, `..`, spaces or
    /// shell metacharacters.
    public static func isValid(_ text: String) -> Bool {
        guard (1...128).contains(text.count), !text.contains(".."),
              let first = text.unicodeScalars.first, ("a"..."z").contains(first)
                || ("A"..."Z").contains(first) || ("0"..."9").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || scalar == "." || scalar == "_" || scalar == "-" || scalar == "+"
        }
    }

    public static func validate(_ text: String) throws(SlipwayError) -> String {
        guard isValid(text) else {
            throw SlipwayError(.release(.invalidVersion(text)))
        }
        return text
    }

    public static func isDirty(_ version: String) -> Bool { version.hasSuffix(dirtySuffix) }

    public static func from(commit: String, dirty: Bool) -> String {
        String(commit.prefix(12)) + (dirty ? dirtySuffix : "")
    }
}
