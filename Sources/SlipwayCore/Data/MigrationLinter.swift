import Foundation

/// The additive-only rules of FIELD-NOTES ("Migrations") over a migration file's statements:
/// a pure function from the file's text to its findings. Statements on a table created earlier
/// in the same file are exempt (no running code uses it yet). The bodies of `DO` blocks run at
/// migration time and are linted too; function bodies run later and are not.
public enum MigrationLinter {
    public static func lint(_ text: String, file: String) -> [MigrationLintFinding] {
        let tokens = SQLTokenizer.tokens(in: text)
        if let open = tokens.first(where: { !$0.isTerminated }) {
            return [MigrationLintFinding(
                file: file, line: open.line, column: open.column, rule: .unterminated,
                statement: String(open.text.prefix(40)))]
        }
        var context = Context(file: file)
        for statement in SQLStatement.split(tokens) {
            context.lint(statement, inherited: [:])
        }
        return context.findings
    }

    private struct Context {
        let file: String
        var findings: [MigrationLintFinding] = []
        var createdTables: Set<String> = []

        init(file: String) {
            self.file = file
        }

        mutating func lint(_ statement: SQLStatement, inherited: [MigrationLintRule: String]) {
            var allowed = inherited
            for comment in statement.comments {
                allowed.merge(allowances(in: comment)) { _, new in new }
            }
            let code = statement.code
            let before = findings.count
            if code.first?.keyword == "DO" {
                lintDoBlock(code, allowed: allowed)
            } else {
                for start in commandStarts(code) { check(Array(code[start...])) }
            }
            for index in before..<findings.count where findings[index].rule.isAllowable {
                // A DO block's statements were judged with their own comments already.
                findings[index].allowedBecause = findings[index].allowedBecause ?? allowed[findings[index].rule]
            }
        }

        /// A DO block's body is PL/pgSQL: its SQL statements follow BEGIN, THEN, ELSE or LOOP.
        mutating func lintDoBlock(_ code: [SQLToken], allowed: [MigrationLintRule: String]) {
            guard let body = code.first(where: { $0.kind == .dollarString })?.dollarBody else { return }
            let shifted = SQLTokenizer.tokens(in: String(body.text)).map { token in
                var token = token
                if token.line == 1 { token.column += body.column - 1 }
                token.line += body.line - 1
                return token
            }
            for statement in SQLStatement.split(shifted) { lint(statement, inherited: allowed) }
        }

        func commandStarts(_ code: [SQLToken]) -> [Int] {
            guard !code.isEmpty else { return [] }
            var starts = [0]
            for (index, token) in code.enumerated().dropLast()
            where ["BEGIN", "THEN", "ELSE", "LOOP"].contains(token.keyword ?? "") && code[index + 1].keyword != "ATOMIC" {
                starts.append(index + 1)
            }
            return starts
        }

        /// The rules a `-- slipway:allow rule[, rule]: reason` comment names, with its reason.
        mutating func allowances(in comment: SQLToken) -> [MigrationLintRule: String] {
            var text = Substring(comment.text)
            if comment.kind == .lineComment { text = text.dropFirst(2) } else { text = text.dropFirst(2).dropLast(2) }
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("slipway:allow") else { return [:] }
            let rest = trimmed.dropFirst("slipway:allow".count)
            guard let colon = rest.firstIndex(of: ":") else {
                report(comment, .allowComment, "no reason after the rule: \(trimmed)")
                return [:]
            }
            let reason = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            let names = rest[..<colon].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            var result: [MigrationLintRule: String] = [:]
            for name in names {
                guard let rule = MigrationLintRule(rawValue: name), rule.isAllowable else {
                    report(comment, .allowComment, "unknown rule '\(name)' in \(trimmed)")
                    continue
                }
                guard !reason.isEmpty else {
                    report(comment, .allowComment, "no reason in \(trimmed)")
                    continue
                }
                result[rule] = reason
            }
            return result
        }

        mutating func report(_ at: SQLToken, _ rule: MigrationLintRule, _ statement: String) {
            findings.append(MigrationLintFinding(file: file, line: at.line, column: at.column, rule: rule, statement: statement))
        }

        mutating func report(_ at: SQLToken, _ rule: MigrationLintRule, tokens: some Collection<SQLToken>) {
            report(at, rule, Self.describe(tokens))
        }

        /// The statement's words as one line, shortened.
        static func describe(_ tokens: some Collection<SQLToken>) -> String {
            let text = tokens.map(\.text).joined(separator: " ")
            return text.count > 80 ? String(text.prefix(77)) + "..." : text
        }

        // MARK: Rules

        mutating func check(_ code: [SQLToken]) {
            let words = code.prefix(4).map { $0.keyword ?? "" }
            switch words.first {
            case "DROP" where words.count > 1:
                if words[1] == "SCHEMA" { report(code[0], .dropSchema, tokens: code) }
                if words[1] == "TABLE" { report(code[0], .dropTable, tokens: code) }
            case "TRUNCATE":
                report(code[0], .truncate, tokens: code)
            case "DELETE", "UPDATE", "WITH":
                checkWhere(code)
            case "ALTER" where words.count > 1 && words[1] == "TABLE":
                checkAlterTable(code)
            case "CREATE":
                checkCreate(code, words: words)
            default:
                break
            }
        }

        /// DELETE or UPDATE (also after a WITH list) with no WHERE at its own level.
        mutating func checkWhere(_ code: [SQLToken]) {
            let levels = Self.depths(code)
            guard let command = code.indices.first(where: {
                levels[$0] == 0 && ($0 > 0 || code[0].keyword != "WITH") && ["DELETE", "UPDATE"].contains(code[$0].keyword ?? "")
                    && ($0 == 0 || !["ON", "FOR", "KEY", "NO"].contains(code[$0 - 1].keyword ?? ""))
            }) else { return }
            if code[0].keyword == "WITH", !Self.followsCTEList(command, in: code, levels: levels) { return }
            let hasWhere = code[command...].indices.contains { levels[$0] == 0 && code[$0].keyword == "WHERE" }
            guard !hasWhere else { return }
            report(code[command], code[command].keyword == "DELETE" ? .deleteWithoutWhere : .updateWithoutWhere, tokens: code[command...])
        }

        /// Whether the DELETE or UPDATE at `index` is the WITH statement's main command, not a CTE's.
        static func followsCTEList(_ index: Int, in code: [SQLToken], levels: [Int]) -> Bool {
            index > 0 && (code[index - 1].text == ")" || levels[index - 1] == 0)
        }

        /// Parenthesis depth before each token.
        static func depths(_ code: [SQLToken]) -> [Int] {
            var depth = 0
            return code.map { token in
                if token.text == ")" { depth = max(0, depth - 1) }
                defer { if token.text == "(" { depth += 1 } }
                return token.text == ")" ? depth + 1 : depth
            }
        }

        /// The qualified name starting at `index`: its folded last part and the index after it.
        static func name(at index: Int, in code: [SQLToken]) -> (name: String, end: Int)? {
            var index = index
            var last: String?
            while index < code.count, let part = code[index].identifier {
                last = part
                index += 1
                guard index < code.count, code[index].text == "." else { break }
                index += 1
            }
            return last.map { ($0, index) }
        }

        mutating func checkCreate(_ code: [SQLToken], words: [String]) {
            var index = 1
            while index < code.count, ["TEMP", "TEMPORARY", "UNLOGGED", "GLOBAL", "LOCAL", "OR", "REPLACE"].contains(code[index].keyword ?? "") {
                index += 1
            }
            if code.indices.contains(index), code[index].keyword == "TABLE" {
                index += 1
                if code.indices.contains(index + 2), code[index].keyword == "IF" { index += 3 }
                if let table = Self.name(at: index, in: code) { createdTables.insert(table.name) }
                return
            }
            guard words.count > 2, words[1] == "UNIQUE", words[2] == "INDEX" else { return }
            guard !code.contains(where: { $0.keyword == "CONCURRENTLY" }),
                  let on = code.firstIndex(where: { $0.keyword == "ON" }) else { return }
            var tableIndex = on + 1
            if code.indices.contains(tableIndex), code[tableIndex].keyword == "ONLY" { tableIndex += 1 }
            if let table = Self.name(at: tableIndex, in: code), createdTables.contains(table.name) { return }
            report(code[0], .uniqueConstraint, tokens: code)
        }

        mutating func checkAlterTable(_ code: [SQLToken]) {
            var index = 2
            if code.indices.contains(index + 1), code[index].keyword == "IF", code[index + 1].keyword == "EXISTS" { index += 2 }
            if code.indices.contains(index), code[index].keyword == "ONLY" { index += 1 }
            guard let (table, end) = Self.name(at: index, in: code) else { return }
            guard !createdTables.contains(table) else { return }
            index = end
            if code.indices.contains(index), code[index].text == "*" { index += 1 }
            let head = code[..<index]
            guard index < code.count else { return }
            let levels = Self.depths(code)
            var actionStart = index
            for position in index...code.count {
                guard position == code.count || (levels[position] == 0 && code[position].text == ",") else { continue }
                if actionStart < position {
                    checkAction(Array(code[actionStart..<position]), head: head)
                }
                actionStart = position + 1
            }
        }

        mutating func checkAction(_ action: [SQLToken], head: ArraySlice<SQLToken>) {
            let words = action.map { $0.keyword ?? "" }
            let described = Array(head) + action
            func report(_ rule: MigrationLintRule) { self.report(action[0], rule, tokens: described) }
            switch words[0] {
            case "RENAME":
                if words.count > 1, words[1] == "TO" { report(.renameTable) }
                else if words.count > 1, words[1] == "CONSTRAINT" { return }
                else { report(.renameColumn) }
            case "SET" where words.count > 1 && words[1] == "SCHEMA":
                report(.renameTable)
            case "DROP":
                if words.count > 1, words[1] == "CONSTRAINT" { report(.dropConstraint) } else { report(.dropColumn) }
            case "ALTER":
                let rest = words.dropFirst(words.count > 1 && words[1] == "COLUMN" ? 3 : 2)
                if rest.starts(with: ["TYPE"]) || rest.starts(with: ["SET", "DATA", "TYPE"]) { report(.changeColumnType) }
                if rest.starts(with: ["SET", "NOT", "NULL"]) { report(.setNotNull) }
                if rest.starts(with: ["DROP", "NOT", "NULL"]) { report(.dropNotNull) }
            case "ADD":
                checkAdd(action, words: words, report: report)
            default:
                break
            }
        }

        func checkAdd(_ action: [SQLToken], words: [String], report: (MigrationLintRule) -> Void) {
            var index = 1
            if words.count > 2, words[1] == "CONSTRAINT" { index = 3 }
            let kind = index < words.count ? words[index] : ""
            if ["UNIQUE", "PRIMARY", "EXCLUDE"].contains(kind) {
                if !Self.contains(words, ["USING", "INDEX"]) { report(.uniqueConstraint) }
                return
            }
            if ["CHECK", "FOREIGN"].contains(kind) {
                if !Self.contains(words, ["NOT", "VALID"]) { report(.constraintWithoutNotValid) }
                return
            }
            // A column definition.
            let levels = Self.depths(action)
            let top = action.indices.filter { levels[$0] == 0 }.map { words[$0] }
            if top.contains("UNIQUE") || Self.contains(top, ["PRIMARY", "KEY"]) { report(.uniqueConstraint) }
            let serial = top.contains { ["SERIAL", "BIGSERIAL", "SMALLSERIAL", "SERIAL4", "SERIAL8", "SERIAL2"].contains($0) }
            let generatedStored = top.contains("GENERATED") && top.contains("STORED")
            let notNull = Self.contains(top, ["NOT", "NULL"]) || Self.contains(top, ["PRIMARY", "KEY"])
            let defaultExpression = Self.defaultExpression(in: action, words: words, levels: levels)
            let constantDefault = defaultExpression.map(Self.isConstant) ?? false
            if serial || generatedStored || (defaultExpression != nil && !constantDefault) || (notNull && !constantDefault) {
                report(.addRequiredColumn)
            }
        }

        static func contains(_ words: [String], _ sequence: [String]) -> Bool {
            guard words.count >= sequence.count else { return false }
            return (0...(words.count - sequence.count)).contains { words[$0..<($0 + sequence.count)].elementsEqual(sequence) }
        }

        /// The tokens after DEFAULT up to the next column constraint at the same level.
        static func defaultExpression(in action: [SQLToken], words: [String], levels: [Int]) -> ArraySlice<SQLToken>? {
            guard let start = action.indices.first(where: { levels[$0] == 0 && words[$0] == "DEFAULT" }) else { return nil }
            let stops: Set<String> = ["NOT", "NULL", "CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "REFERENCES", "GENERATED", "COLLATE"]
            var end = start + 1
            while end < action.count, !(levels[end] == 0 && stops.contains(words[end]) && end > start + 1) { end += 1 }
            return action[(start + 1)..<end]
        }

        /// Literals, casts of literals, and the few functions PostgreSQL evaluates once for the
        /// whole table (so adding the column does not rewrite it).
        static func isConstant(_ expression: ArraySlice<SQLToken>) -> Bool {
            let constantWords: Set<String> = [
                "TRUE", "FALSE", "NULL", "CURRENT_TIMESTAMP", "CURRENT_DATE", "LOCALTIMESTAMP", "CURRENT_USER", "NOW",
                "CAST", "AS", "ARRAY", "INTERVAL",
            ]
            guard !expression.isEmpty else { return false }
            var inType = false
            for token in expression {
                switch token.kind {
                case .string, .number: inType = false
                case .punctuation:
                    if token.text == "::" { inType = true } else if !["(", ")", ",", "-", "+", "[", "]"].contains(token.text) { return false }
                case .word:
                    let word = token.keyword ?? ""
                    if word == "AS" { inType = true; continue }
                    guard inType || constantWords.contains(word) else { return false }
                default: return false
                }
            }
            return true
        }
    }
}
