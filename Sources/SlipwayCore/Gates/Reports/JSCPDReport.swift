import Foundation

/// Reads jscpd's JSON report (`jscpd --reporters json`): the lines each clone spans, in both places.
enum JSCPDReport {
    static let maximumCloneLines = 1_000_000

    static func duplicatedLines(_ url: URL, name: String) throws(SlipwayError) -> [String: Set<Int>] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw SlipwayError(.report(file: name, .missing)) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SlipwayError(.report(file: name, .unreadable(error.localizedDescription)))
        }
        return try duplicatedLines(data, name: name)
    }

    static func duplicatedLines(_ data: Data, name: String) throws(SlipwayError) -> [String: Set<Int>] {
        let root = try JSONNode.parse(data, file: name)
        var lines: [String: Set<Int>] = [:]
        for duplicate in try root.required("duplicates").array() {
            for side in ["firstFile", "secondFile"] {
                let place = try duplicate.required(side)
                let start = try place.required("start").int()
                let end = try place.required("end").int()
                guard start <= end else { throw place.error("start \(start) is after end \(end)") }
                // Each line of a clone is marked: a span no source file has is a damaged report
                // and would take the gate's memory and time without end.
                guard start >= 1, end - start < maximumCloneLines else {
                    throw place.error("lines \(start) to \(end) are not a clone in a source file")
                }
                lines[try place.required("name").string(), default: []].formUnion(start...end)
            }
        }
        return lines
    }
}
