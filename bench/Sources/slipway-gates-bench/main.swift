import Foundation
import SlipwayCore

// Parsing a large LCOV tracefile: SlipwayCore's parser against `lcov --summary` on the same
// file, in the same run. Usage:
//   slipway-gates-bench [--megabytes 50] [--runs 5] [--work DIR] [--keep]

struct Options {
    var megabytes = 50
    var runs = 5
    var work: URL?
    var keep = false

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--megabytes": megabytes = Int(iterator.next() ?? "") ?? megabytes
            case "--runs": runs = max(1, Int(iterator.next() ?? "") ?? runs)
            case "--work": work = iterator.next().map { URL(fileURLWithPath: $0) }
            case "--keep": keep = true
            default:
                FileHandle.standardError.write(Data("usage: slipway-gates-bench [--megabytes N] [--runs N] [--work DIR] [--keep]\n".utf8))
                exit(2)
            }
        }
    }
}

/// A tracefile shaped like geninfo's: per source file TN, SF, FN/FNDA, DA with counts (about a
/// third never run), BRDA with some `-`, and the LF/LH/BRF/BRH totals. Deterministic.
func generate(to url: URL, bytes target: Int) throws -> Int {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    func next() -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % 1_000_000)
    }
    var written = 0
    var fileIndex = 0
    var chunk = ""
    while written < target {
        fileIndex += 1
        let lineCount = 200 + next() % 600
        chunk += "TN:\nSF:/src/project/module\(fileIndex % 97)/source_file_\(fileIndex).c\n"
        for function in 0..<(lineCount / 40) {
            chunk += "FN:\(function * 40 + 1),function_\(fileIndex)_\(function)\n"
            chunk += "FNDA:\(next() % 3 == 0 ? 0 : next() % 500),function_\(fileIndex)_\(function)\n"
        }
        chunk += "FNF:\(lineCount / 40)\nFNH:\(lineCount / 60)\n"
        var hit = 0
        var branches = 0
        var taken = 0
        for line in 1...lineCount {
            let count = next() % 3 == 0 ? 0 : next() % 100_000
            if count > 0 { hit += 1 }
            chunk += "DA:\(line),\(count)\n"
            if line % 9 == 0 {
                for branch in 0..<2 {
                    let outcome = next() % 4
                    chunk += outcome == 0 ? "BRDA:\(line),0,\(branch),-\n" : "BRDA:\(line),0,\(branch),\(outcome - 1)\n"
                    branches += 1
                    if outcome > 1 { taken += 1 }
                }
            }
        }
        chunk += "LF:\(lineCount)\nLH:\(hit)\nBRF:\(branches)\nBRH:\(taken)\nend_of_record\n"
        if chunk.utf8.count > 1 << 20 {
            let data = Data(chunk.utf8)
            handle.write(data)
            written += data.count
            chunk = ""
        }
    }
    let data = Data(chunk.utf8)
    handle.write(data)
    return written + data.count
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// Runs `lcov --summary` and returns its output.
func lcovSummary(_ url: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["lcov", "--summary", url.path, "--rc", "lcov_branch_coverage=1"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw SlipwayError.failure("lcov --summary exited \(process.terminationStatus): \(String(decoding: output, as: UTF8.self))")
    }
    return String(decoding: output, as: UTF8.self)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let work = options.work ?? FileManager.default.temporaryDirectory.appendingPathComponent("slipway-gates-bench-\(getpid())")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
let file = work.appendingPathComponent("big.info")
defer { if !options.keep { try? FileManager.default.removeItem(at: file) } }

let size = try generate(to: file, bytes: options.megabytes << 20)
print(String(format: "LCOV file: %.1f MB (%@)", Double(size) / 1_048_576, file.path))

var ours: [Double] = []
var summary = CoverageSummary()
for _ in 0..<options.runs {
    ours.append(try seconds { summary = try Report.load(file).coverage ?? CoverageSummary() })
}
var theirs: [Double] = []
var lcovOutput = ""
for _ in 0..<options.runs {
    theirs.append(try seconds { lcovOutput = try lcovSummary(file) })
}
let lines = summary.lines
let branches = summary.branches ?? LineCounts(found: 0, hit: 0)
print("slipway:  \(summary.files.count) files, lines \(lines.hit) of \(lines.found), branches \(branches.hit) of \(branches.found)")
for line in lcovOutput.split(separator: "\n") where line.contains("lines") || line.contains("branches") {
    print("lcov:    \(line)")
}
print(String(format: "slipway parser (in process): median %.3f s of %d runs (min %.3f, max %.3f), %.0f MB/s",
              median(ours), ours.count, ours.min()!, ours.max()!, Double(size) / 1_048_576 / median(ours)))
print(String(format: "lcov --summary (process):    median %.3f s of %d runs (min %.3f, max %.3f)",
              median(theirs), theirs.count, theirs.min()!, theirs.max()!))
print(String(format: "ratio: slipway is %.1fx faster (aim: at least 10x)", median(theirs) / median(ours)))
