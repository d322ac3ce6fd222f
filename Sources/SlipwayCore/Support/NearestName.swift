/// The known name closest to a mistyped one, as git's "did you mean": within two edits (or a
/// third of the name), nothing otherwise.
public enum NearestName {
    public static func suggestion(for typed: String, among names: [String]) -> String? {
        let limit = max(2, typed.count / 3)
        let ranked = names.map { (name: $0, distance: distance(typed.lowercased(), $0.lowercased())) }
            .filter { $0.distance <= limit && $0.distance > 0 }
            .sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
        return ranked.first?.name
    }

    /// Levenshtein distance over characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
