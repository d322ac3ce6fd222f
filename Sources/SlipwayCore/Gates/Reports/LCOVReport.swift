import Foundation

/// Reads LCOV tracefiles (`geninfo`, `llvm-cov export -format=lcov`, c8, coverage.py `lcov`).
///
/// Works on the raw bytes, one record at a time, because tracefiles run to hundreds of
/// megabytes; only `SF:` paths become strings.
enum LCOVReport {
    static func parse(_ data: Data, file: String) throws(SlipwayError) -> CoverageSummary {
        let result: Result<CoverageSummary, SlipwayError> = data.withUnsafeBytes { buffer in
            var parser = Parser(bytes: buffer, file: file)
            do throws(SlipwayError) {
                return .success(try parser.run())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private struct BranchKey: Hashable {
        var line: Int
        var block: Int
        var branch: Int
    }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        let file: String
        var lineNumber = 0
        /// Per file, in first-seen order; a file in several sections (one per test name) accumulates.
        var paths: [String] = []
        var lines: [[Int: Int]] = []
        var branches: [[BranchKey: Int]] = []
        var indexByPath: [String: Int] = [:]
        /// The open section: which file, and the line its SF: is on.
        var current: (index: Int, opened: Int)?

        init(bytes: UnsafeRawBufferPointer, file: String) {
            self.bytes = bytes
            self.file = file
        }

        mutating func run() throws(SlipwayError) -> CoverageSummary {
            var start = 0
            let count = bytes.count
            var sections = 0
            while start < count {
                var end = start
                while end < count && bytes[end] != 0x0A { end += 1 }
                lineNumber += 1
                var stop = end
                if stop > start && bytes[stop - 1] == 0x0D { stop -= 1 }
                if try record(start, stop) { sections += 1 }
                start = end + 1
            }
            if let current {
                throw fail(
                    "SF:\(paths[current.index]) (opened on line \(current.opened)) has no end_of_record: the file is truncated",
                    line: lineNumber)
            }
            guard sections > 0 else { throw fail("no SF:...end_of_record section", line: max(lineNumber, 1)) }
            var summary = CoverageSummary()
            for index in paths.indices {
                var counts: LineCounts?
                if !branches[index].isEmpty {
                    counts = LineCounts(
                        found: branches[index].count, hit: branches[index].values.reduce(0) { $0 + ($1 > 0 ? 1 : 0) })
                }
                summary.add(FileCoverage(path: paths[index], lines: lines[index], branches: counts))
            }
            return summary
        }

        func fail(_ message: String, line: Int? = nil) -> SlipwayError {
            SlipwayError(.malformedReport(file: file, .line(line ?? lineNumber), problem: message))
        }

        func starts(_ start: Int, _ stop: Int, with prefix: StaticString) -> Bool {
            let length = prefix.utf8CodeUnitCount
            guard stop - start >= length else { return false }
            let pointer = prefix.utf8Start
            for offset in 0..<length where bytes[start + offset] != pointer[offset] { return false }
            return true
        }

        /// Handles one line; returns true when it closed a section.
        mutating func record(_ start: Int, _ stop: Int) throws(SlipwayError) -> Bool {
            guard stop > start else { return false }
            if starts(start, stop, with: "DA:") {
                let fields = try numbers(start + 3, stop, record: "DA")
                let index = try section("DA")
                lines[index][fields.0] = max(lines[index][fields.0] ?? 0, fields.1)
            } else if starts(start, stop, with: "BRDA:") {
                try branch(start + 5, stop)
            } else if starts(start, stop, with: "SF:") {
                if let current {
                    throw fail("SF: before the end_of_record of SF:\(paths[current.index]) (opened on line \(current.opened))")
                }
                let path = String(decoding: bytes[(start + 3)..<stop], as: UTF8.self)
                guard !path.isEmpty else { throw fail("SF: without a path") }
                let index = indexByPath[path] ?? paths.count
                if index == paths.count {
                    indexByPath[path] = index
                    paths.append(path)
                    lines.append([:])
                    branches.append([:])
                }
                current = (index, lineNumber)
            } else if starts(start, stop, with: "end_of_record") {
                guard current != nil else { throw fail("end_of_record without SF:") }
                current = nil
                return true
            }
            // TN, VER, FN, FNDA, FNF, FNH, LF, LH, BRF, BRH (or BFH) and unknown records: totals are
            // recomputed from DA and BRDA, so a wrong LF cannot mislead.
            return false
        }

        func section(_ record: String) throws(SlipwayError) -> Int {
            guard let current else { throw fail("\(record) record outside an SF: section") }
            return current.index
        }

        /// `BRDA:line,block,branch,taken` where taken is a count or `-` (never evaluated).
        mutating func branch(_ start: Int, _ stop: Int) throws(SlipwayError) {
            var position = start
            var values = [0, 0, 0]
            for index in 0..<3 {
                values[index] = try integer(&position, stop, record: "BRDA")
                guard position < stop, bytes[position] == UInt8(ascii: ",") else { throw malformed("BRDA") }
                position += 1
            }
            var taken = 0
            if position < stop, bytes[position] == UInt8(ascii: "-") {
                position += 1
            } else {
                taken = try integer(&position, stop, record: "BRDA")
            }
            guard position == stop else { throw malformed("BRDA") }
            let index = try section("BRDA")
            let key = BranchKey(line: values[0], block: values[1], branch: values[2])
            branches[index][key] = max(branches[index][key] ?? 0, taken)
        }

        /// `a,b` followed by nothing or `,checksum`.
        func numbers(_ start: Int, _ stop: Int, record: String) throws(SlipwayError) -> (Int, Int) {
            var position = start
            let first = try integer(&position, stop, record: record)
            guard position < stop, bytes[position] == UInt8(ascii: ",") else { throw malformed(record) }
            position += 1
            let second = try integer(&position, stop, record: record)
            guard position == stop || bytes[position] == UInt8(ascii: ",") else { throw malformed(record) }
            return (first, second)
        }

        /// A count: digits, or a negative count (broken gcov data) read as zero.
        func integer(_ position: inout Int, _ stop: Int, record: String) throws(SlipwayError) -> Int {
            var negative = false
            if position < stop, bytes[position] == UInt8(ascii: "-") {
                negative = true
                position += 1
            }
            let first = position
            var value = 0
            while position < stop {
                let digit = Int(bytes[position]) - 48
                guard digit >= 0 && digit <= 9 else { break }
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                value = overflow ? Int.max : min(times &+ digit, Int.max)
                position += 1
            }
            guard position > first else { throw malformed(record) }
            return negative ? 0 : value
        }

        func malformed(_ record: String) -> SlipwayError {
            let text = String(decoding: bytes[lineStart()..<lineEnd()], as: UTF8.self)
            return fail("malformed \(record) record '\(text.prefix(80))'")
        }

        // The current line's bounds, found again only to quote it in an error.
        func lineStart() -> Int {
            var line = 1
            var position = 0
            while line < lineNumber && position < bytes.count {
                if bytes[position] == 0x0A { line += 1 }
                position += 1
            }
            return position
        }

        func lineEnd() -> Int {
            var position = lineStart()
            while position < bytes.count && bytes[position] != 0x0A && bytes[position] != 0x0D { position += 1 }
            return position
        }
    }
}
