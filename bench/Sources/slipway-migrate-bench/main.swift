import Foundation
import SlipwayCore

// Lints generated migration files with Slipway's tokenizer and rules, in memory, and prints the
// best and median time of several runs. `--write DIR` also writes the files, for squawk.
//
//   slipway-migrate-bench [--statements 10000] [--per-file 100] [--runs 7] [--write DIR]

var statements = 10_000
var perFile = 100
var runs = 7
var writeTo: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--statements": statements = Int(arguments.next() ?? "") ?? statements
    case "--per-file": perFile = Int(arguments.next() ?? "") ?? perFile
    case "--runs": runs = Int(arguments.next() ?? "") ?? runs
    case "--write": writeTo = arguments.next()
    default:
        FileHandle.standardError.write(Data("usage: slipway-migrate-bench [--statements N] [--per-file N] [--runs N] [--write DIR]\n".utf8))
        exit(2)
    }
}

/// Statements in many styles, most additive, some not, a few excused by a comment.
func statement(_ index: Int) -> String {
    let table = "t\(index % 97)"
    switch index % 12 {
    case 0: return "CREATE TABLE IF NOT EXISTS \(table)_\(index) (id bigint PRIMARY KEY, \"Name\" text NOT NULL DEFAULT 'x', note text);"
    case 1: return "alter table public.\(table) add column c\(index) integer not null default 0;"
    case 2: return "CREATE INDEX CONCURRENTLY i\(index) ON \(table) (lower(\"Name\"), created_at DESC) WHERE deleted IS NULL;"
    case 3: return "ALTER TABLE \(table)\n  ADD CONSTRAINT fk\(index) FOREIGN KEY (a_id) REFERENCES a (id) ON DELETE CASCADE NOT VALID;"
    case 4: return "/* backfill */ UPDATE \(table) SET note = E'it\\'s; fine' WHERE id BETWEEN \(index) AND \(index + 1000);"
    case 5: return "CREATE OR REPLACE FUNCTION f\(index)() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n  NEW.updated := now(); -- ; inside\n  RETURN NEW;\nEND\n$fn$;"
    case 6: return "-- slipway:allow drop-column: unread since release \(index)\nALTER TABLE \(table) DROP COLUMN legacy_\(index);"
    case 7: return "INSERT INTO \(table) (id, \"Name\") VALUES (\(index), 'a''b'), (\(index + 1), $$x;y$$) ON CONFLICT DO NOTHING;"
    case 8: return "ALTER TABLE \(table) ALTER COLUMN c\(index) TYPE bigint;"
    case 9: return "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'v\(index)') THEN\n    CREATE VIEW v\(index) AS SELECT 1;\n  END IF;\nEND\n$$;"
    case 10: return "ALTER TABLE \(table) ADD COLUMN required_\(index) text NOT NULL;"
    default: return "COMMENT ON TABLE \(table) IS 'DROP TABLE is only words here; really';"
    }
}

var files: [(name: String, text: String)] = []
var index = 0
while index < statements {
    let count = min(perFile, statements - index)
    let text = (index..<(index + count)).map(statement).joined(separator: "\n\n") + "\n"
    files.append(("V\(files.count + 1)__generated.sql", text))
    index += count
}
let bytes = files.reduce(0) { $0 + $1.text.utf8.count }

if let writeTo {
    let folder = URL(fileURLWithPath: writeTo)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for file in files {
        try file.text.write(to: folder.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
    }
}

var seconds: [Double] = []
var findings = 0
var allowed = 0
for _ in 0..<runs {
    let clock = ContinuousClock()
    let start = clock.now
    var found: [MigrationLintFinding] = []
    for file in files { found += MigrationLinter.lint(file.text, file: file.name) }
    let elapsed = clock.now - start
    seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    findings = found.count
    allowed = found.filter(\.isAllowed).count
}
seconds.sort()
let best = seconds[0]
let median = seconds[seconds.count / 2]
print("lint: \(statements) statements in \(files.count) files (\(bytes / 1024) KiB): \(findings) findings, \(allowed) allowed by comment")
print(String(format: "best %.1f ms (%.0f statements/s), median %.1f ms over %d runs", best * 1000, Double(statements) / best, median * 1000, runs))
