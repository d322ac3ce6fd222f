import Foundation

/// Reads a `DeploymentState` from the JSON both stores keep, without `JSONDecoder`.
///
/// A console's first frame reads every stored state (1,500 on the bench), and `JSONDecoder`'s
/// generic machinery costs about 25 µs a state in release; this reader of the one fixed shape
/// costs a small fraction of that. It declines (answers nil) anything it is not sure to read as
/// `JSONDecoder` would: a missing or repeated field, a wrong type, an escape it does not know,
/// a number not written as `JSONEncoder` writes one, a key it does not know (so a field added to
/// `DeploymentState` and not taught here is read by `JSONDecoder`, never dropped). The caller then
/// decodes with `DeploymentState.storedDecoder`, so odd rows are read, or fail, exactly as before.
struct StoredStateReader {
    /// Why a text was declined; never shown, the caller falls back to `JSONDecoder`.
    struct Declined: Error {}

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The state in `text`, or nil when `text` is not plainly the stored shape.
    static func state(from text: String) -> DeploymentState? {
        var text = text
        return text.withUTF8 { buffer in
            var reader = StoredStateReader(buffer)
            guard let state = try? reader.readState(), reader.atEnd() else { return nil }
            return state
        }
    }

    // MARK: The shape

    private mutating func readState() throws(Declined) -> DeploymentState {
        var component: String?
        var environment: String?
        var liveVersion: String??
        var liveCommit: String??
        var liveColor: String??
        var previousVersions: [String]?
        var lastDeploy: DeploymentState.DeployOutcome??
        var lastHealth: DeploymentState.HealthReading??
        var runsInProgress: [DeploymentState.RunInProgress]?
        var ready: DeploymentState.ReadyRelease??
        var lastEventID: Int64?
        try readObject { (reader: inout StoredStateReader, key) throws(Declined) in
            switch key {
            case "component": try once(&component, reader.readString())
            case "environment": try once(&environment, reader.readString())
            case "liveVersion": try once(&liveVersion, reader.readOptional { r throws(Declined) in try r.readString() })
            case "liveCommit": try once(&liveCommit, reader.readOptional { r throws(Declined) in try r.readString() })
            case "liveColor": try once(&liveColor, reader.readOptional { r throws(Declined) in try r.readString() })
            case "previousVersions": try once(&previousVersions, reader.readArray { r throws(Declined) in try r.readString() })
            case "lastDeploy": try once(&lastDeploy, reader.readOptional { r throws(Declined) in try r.readOutcome() })
            case "lastHealth": try once(&lastHealth, reader.readOptional { r throws(Declined) in try r.readHealth() })
            case "runsInProgress": try once(&runsInProgress, reader.readArray { r throws(Declined) in try r.readRun() })
            case "ready": try once(&ready, reader.readOptional { r throws(Declined) in try r.readReady() })
            case "lastEventID": try once(&lastEventID, reader.readInteger())
            default: throw Declined()
            }
        }
        guard let component, let environment, let previousVersions, let runsInProgress, let lastEventID else {
            throw Declined()
        }
        var state = DeploymentState(component: component, environment: environment)
        state.liveVersion = liveVersion ?? nil
        state.liveCommit = liveCommit ?? nil
        state.liveColor = liveColor ?? nil
        state.previousVersions = previousVersions
        state.lastDeploy = lastDeploy ?? nil
        state.lastHealth = lastHealth ?? nil
        state.runsInProgress = runsInProgress
        state.ready = ready ?? nil
        state.lastEventID = lastEventID
        return state
    }

    private mutating func readOutcome() throws(Declined) -> DeploymentState.DeployOutcome {
        var runID: String?
        var kind: RunKind?
        var version: String??
        var outcome: String?
        var time: Date?
        try readObject { (reader: inout StoredStateReader, key) throws(Declined) in
            switch key {
            case "runID": try once(&runID, reader.readString())
            case "kind": try once(&kind, reader.readKind())
            case "version": try once(&version, reader.readOptional { r throws(Declined) in try r.readString() })
            case "outcome": try once(&outcome, reader.readString())
            case "time": try once(&time, reader.readDate())
            default: throw Declined()
            }
        }
        guard let runID, let kind, let outcome, let time else { throw Declined() }
        return .init(runID: runID, kind: kind, version: version ?? nil, outcome: outcome, time: time)
    }

    private mutating func readHealth() throws(Declined) -> DeploymentState.HealthReading {
        var healthy: Bool?
        var time: Date?
        var detail: String??
        try readObject { (reader: inout StoredStateReader, key) throws(Declined) in
            switch key {
            case "healthy": try once(&healthy, reader.readBool())
            case "time": try once(&time, reader.readDate())
            case "detail": try once(&detail, reader.readOptional { r throws(Declined) in try r.readString() })
            default: throw Declined()
            }
        }
        guard let healthy, let time else { throw Declined() }
        return .init(healthy: healthy, time: time, detail: detail ?? nil)
    }

    private mutating func readRun() throws(Declined) -> DeploymentState.RunInProgress {
        var runID: String?
        var kind: RunKind?
        var version: String??
        var since: Date?
        try readObject { (reader: inout StoredStateReader, key) throws(Declined) in
            switch key {
            case "runID": try once(&runID, reader.readString())
            case "kind": try once(&kind, reader.readKind())
            case "version": try once(&version, reader.readOptional { r throws(Declined) in try r.readString() })
            case "since": try once(&since, reader.readDate())
            default: throw Declined()
            }
        }
        guard let runID, let kind, let since else { throw Declined() }
        return .init(runID: runID, kind: kind, version: version ?? nil, since: since)
    }

    private mutating func readReady() throws(Declined) -> DeploymentState.ReadyRelease {
        var version: String?
        var commit: String??
        var color: String?
        var since: Date?
        try readObject { (reader: inout StoredStateReader, key) throws(Declined) in
            switch key {
            case "version": try once(&version, reader.readString())
            case "commit": try once(&commit, reader.readOptional { r throws(Declined) in try r.readString() })
            case "color": try once(&color, reader.readString())
            case "since": try once(&since, reader.readDate())
            default: throw Declined()
            }
        }
        guard let version, let color, let since else { throw Declined() }
        return .init(version: version, commit: commit ?? nil, color: color, since: since)
    }

    private mutating func readKind() throws(Declined) -> RunKind {
        guard let kind = RunKind(rawValue: try readString()) else { throw Declined() }
        return kind
    }

    /// `JSONDecoder`'s `.millisecondsSince1970`: the number divided by a thousand.
    private mutating func readDate() throws(Declined) -> Date {
        Date(timeIntervalSince1970: try readDouble() / 1000)
    }

    // MARK: JSON

    /// Calls `field` with each key of an object, the reader standing at the key's value.
    /// A repeated key is declined by `once`, an unknown one by `field`; the order of keys does not matter.
    private mutating func readObject(
        _ field: (inout StoredStateReader, String) throws(Declined) -> Void
    ) throws(Declined) {
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        while true {
            let key = try readString()
            try expect(UInt8(ascii: ":"))
            try field(&self, key)
            skipSpace()
            switch try next() {
            case UInt8(ascii: ","): skipSpace()
            case UInt8(ascii: "}"): return
            default: throw Declined()
            }
        }
    }

    private mutating func readArray<Element>(
        _ element: (inout StoredStateReader) throws(Declined) -> Element
    ) throws(Declined) -> [Element] {
        try expect(UInt8(ascii: "["))
        skipSpace()
        var elements: [Element] = []
        if peek() == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            elements.append(try element(&self))
            skipSpace()
            switch try next() {
            case UInt8(ascii: ","): continue
            case UInt8(ascii: "]"): return elements
            default: throw Declined()
            }
        }
    }

    /// `null` as nil, as `decodeIfPresent` reads it.
    private mutating func readOptional<Value>(
        _ value: (inout StoredStateReader) throws(Declined) -> Value
    ) throws(Declined) -> Value? {
        skipSpace()
        if peek() == UInt8(ascii: "n") {
            try expectWord("null")
            return nil
        }
        return try value(&self)
    }

    private mutating func readString() throws(Declined) -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                // The text came from a String, so it is valid UTF-8, and so is any part of it cut at ASCII quotes.
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return string
            }
            if byte == UInt8(ascii: "\\") {
                return try readEscapedString(from: start)
            }
            guard byte >= 0x20 else { throw Declined() }
            index += 1
        }
        throw Declined()
    }

    /// The rest of a string that has escapes (`JSONEncoder` writes `/` as `\/`).
    private mutating func readEscapedString(from start: Int) throws(Declined) -> String {
        var utf8 = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            let byte = try next()
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                switch try next() {
                case UInt8(ascii: "\""): utf8.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): utf8.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "/"): utf8.append(UInt8(ascii: "/"))
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): utf8.append(contentsOf: try readUnicodeEscape())
                default: throw Declined()
                }
            default:
                guard byte >= 0x20 else { throw Declined() }
                utf8.append(byte)
            }
        }
    }

    /// The scalar of a `\uXXXX` (the `\u` read), a surrogate pair taken whole; a lone surrogate is declined.
    private mutating func readUnicodeEscape() throws(Declined) -> String.UTF8View {
        var value = try readHex4()
        if (0xD800..<0xDC00).contains(value) {
            try expectWord("\\u")
            let low = try readHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw Declined() }
            value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(value) else { throw Declined() }
        return String(Character(scalar)).utf8
    }

    private mutating func readHex4() throws(Declined) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try next()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Declined()
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func readBool() throws(Declined) -> Bool {
        skipSpace()
        if peek() == UInt8(ascii: "t") {
            try expectWord("true")
            return true
        }
        try expectWord("false")
        return false
    }

    /// An integer written as digits only; anything else (a fraction, an exponent) is declined.
    private mutating func readInteger() throws(Declined) -> Int64 {
        let number = try readNumber()
        guard !number.fractional, let value = Int64(number.text) else { throw Declined() }
        return value
    }

    private mutating func readDouble() throws(Declined) -> Double {
        let number = try readNumber()
        // Up to 15 digits an integer is exact as a Double, and the common case (whole milliseconds).
        if !number.fractional, number.text.utf8.count <= 15, let whole = Int64(number.text) {
            return Double(whole)
        }
        guard let value = Double(number.text), value.isFinite else { throw Declined() }
        return value
    }

    /// A number as JSON's grammar writes one: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    private mutating func readNumber() throws(Declined) -> (text: String, fractional: Bool) {
        skipSpace()
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else {
            try readDigits()
        }
        var fractional = false
        if peek() == UInt8(ascii: ".") {
            index += 1
            try readDigits()
            fractional = true
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            try readDigits()
            fractional = true
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        return (text, fractional)
    }

    /// One or more decimal digits.
    private mutating func readDigits() throws(Declined) {
        let start = index
        while let byte = peek(), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        guard index > start else { throw Declined() }
    }

    // MARK: Bytes

    private func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    private mutating func next() throws(Declined) -> UInt8 {
        guard index < bytes.count else { throw Declined() }
        defer { index += 1 }
        return bytes[index]
    }

    private mutating func skipSpace() {
        while let byte = peek(), byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(Declined) {
        skipSpace()
        guard try next() == byte else { throw Declined() }
    }

    private mutating func expectWord(_ word: StaticString) throws(Declined) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard try next() == byte else { throw Declined() }
        }
    }

    /// Whether only white space is left.
    private mutating func atEnd() -> Bool {
        skipSpace()
        return index == bytes.count
    }
}

/// Sets a field read from the text, declining a key written twice (what `JSONDecoder` makes of
/// that is its own business).
private func once<Value>(_ field: inout Value?, _ value: Value) throws(StoredStateReader.Declined) {
    guard field == nil else { throw StoredStateReader.Declined() }
    field = value
}
