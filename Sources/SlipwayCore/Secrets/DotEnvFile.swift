/// The variables of a dotenv file, as the `dotenv` libraries and `docker compose --env-file`
/// read one: `NAME=value` lines, an optional `export ` before the name, `#` comments, values
/// bare (a ` #` starts a comment), in single quotes (literal) or in double quotes (`\n`, `\t`,
/// `\"`, `\\` escapes). A later line wins over an earlier one of the same name.
public struct DotEnvFile: Sendable, Equatable {
    public var variables: [String: String]

    /// Parses `text`; a line it cannot read is a usage error at `file:line:col`.
    public static func parse(_ text: String, file: String) throws(SlipwayError) -> DotEnvFile {
        var variables: [String: String] = [:]
        // `\r\n` is one Character in Swift, a newline like `\n`.
        for (index, text) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = Array(text)
            let at = { (column: Int, problem: String) -> SlipwayError in
                ConfigLocation(file: file, line: index + 1, column: column + 1).error(problem)
            }
            var position = line.firstIndex { $0 != " " && $0 != "\t" } ?? line.count
            guard position < line.count, line[position] != "#" else { continue }
            if line[position...].starts(with: "export ".map(\.self)) {
                position += 7
                while position < line.count, line[position] == " " { position += 1 }
            }
            let nameStart = position
            while position < line.count, line[position] == "_" || line[position].isLetter && line[position].isASCII
                || (position > nameStart && line[position].isNumber && line[position].isASCII) {
                position += 1
            }
            guard position > nameStart else { throw at(nameStart, "expected NAME=value, a name of letters, digits and _") }
            let name = String(line[nameStart..<position])
            while position < line.count, line[position] == " " || line[position] == "\t" { position += 1 }
            guard position < line.count, line[position] == "=" else { throw at(position, "expected '=' after \(name)") }
            position += 1
            while position < line.count, line[position] == " " || line[position] == "\t" { position += 1 }
            let value: String
            if position < line.count, line[position] == "'" || line[position] == "\"" {
                let quote = line[position]
                let opening = position
                var text = ""
                position += 1
                var closed = false
                while position < line.count {
                    let character = line[position]
                    if character == quote {
                        closed = true
                        break
                    }
                    if quote == "\"", character == "\\", position + 1 < line.count {
                        position += 1
                        switch line[position] {
                        case "n": text.append("\n")
                        case "t": text.append("\t")
                        case "r": text.append("\r")
                        default: text.append(line[position])
                        }
                    } else {
                        text.append(character)
                    }
                    position += 1
                }
                guard closed else { throw at(opening, "the value of \(name) opens a quote it never closes on this line") }
                position += 1
                let rest = line[position...].drop { $0 == " " || $0 == "\t" }
                guard rest.isEmpty || rest.first == "#" else {
                    throw at(line.count - rest.count, "unexpected text after the quoted value of \(name)")
                }
                value = text
            } else {
                var end = position
                while end < line.count, !(line[end] == "#" && end > position && (line[end - 1] == " " || line[end - 1] == "\t")) {
                    end += 1
                }
                value = String(line[position..<end]).trimmingTrailingBlanks
            }
            variables[name] = value
        }
        return DotEnvFile(variables: variables)
    }
}

private extension String {
    var trimmingTrailingBlanks: String {
        var text = self
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return text
    }
}
