/// A build's own count of its steps, read from a line of its output: ninja, CMake and
/// `swift build` (`[12/40] Compiling ...`), Docker's classic builder (`Step 3/10 : RUN ...`) and
/// BuildKit (`#8 [builder 3/7] RUN ...`). A build that prints no count gets no bar: a size
/// guessed would be a bar that lies.
public struct BuildSteps: Sendable, Equatable {
    public var done: Int
    public var total: Int

    public init(done: Int, total: Int) {
        self.done = done
        self.total = total
    }

    /// The count a line of build output gives, or nil when it gives none.
    public init?(line: String) {
        var rest = Substring(line).drop { $0 == " " || $0 == "\t" }
        let fraction: Substring
        if rest.hasPrefix("Step ") {
            rest = rest.dropFirst("Step ".count)
            fraction = rest.prefix { $0 != " " && $0 != ":" }
        } else {
            if rest.hasPrefix("#") {
                // BuildKit: `#<vertex> [<stage> N/M] ...`
                rest = rest.dropFirst().drop(while: \.isNumber)
                guard rest.hasPrefix(" ") else { return nil }
                rest = rest.dropFirst()
            }
            guard rest.hasPrefix("["), let close = rest.firstIndex(of: "]") else { return nil }
            fraction = rest[rest.index(after: rest.startIndex)..<close].split(separator: " ").last ?? ""
        }
        let parts = fraction.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let done = Int(parts[0]), let total = Int(parts[1]), total > 0, (0...total).contains(done)
        else { return nil }
        self.init(done: done, total: total)
    }

    /// The newest count in `lines`, read from the end.
    public static func latest(in lines: some BidirectionalCollection<String>) -> BuildSteps? {
        for line in lines.reversed() {
            if let steps = BuildSteps(line: line) { return steps }
        }
        return nil
    }
}
