import Foundation
@testable import SlipwayCore
import Testing

/// The stored projection is read without `JSONDecoder` (the console's first frame reads every
/// state): the reader reads what `storedEncoder` writes exactly as `storedDecoder` does, and
/// declines anything else, which `storedDecoder` then reads, or fails on, as before.
@Suite struct StoredStateReaderTests {
    static func stored(_ state: DeploymentState) throws -> String {
        String(decoding: try DeploymentState.storedEncoder.encode(state), as: UTF8.self)
    }

    static func decoded(_ text: String) throws -> DeploymentState {
        try DeploymentState.storedDecoder.decode(DeploymentState.self, from: Data(text.utf8))
    }

    /// Every field set, with strings that need escapes and times that are not whole milliseconds.
    static var everyField: DeploymentState {
        var state = DeploymentState(component: "web/api \"β\" 🚀", environment: "prod\\eu\n\t\u{1}")
        state.liveVersion = "v1.2/3"
        state.liveCommit = "abc123"
        state.liveColor = "blue"
        state.previousVersions = ["v1.2/2", "", "ü", "\u{7f}"]
        state.lastDeploy = .init(
            runID: "r1", kind: .switchTraffic, version: "v1.2/3", outcome: "succeeded",
            time: Date(timeIntervalSince1970: 1_796_530_591.546_789_1))
        state.lastHealth = .init(healthy: false, time: Date(timeIntervalSince1970: -12.25), detail: "HTTP 503 \u{2028}")
        state.runsInProgress = [
            .init(runID: "r2", kind: .healthCheck, version: "v2", since: Date(timeIntervalSince1970: 1e14)),
            .init(runID: "r3", kind: .migrate, version: nil, since: Date(timeIntervalSince1970: 0.000_1)),
        ]
        state.ready = .init(version: "v2", commit: "def456", color: "green", since: Date(timeIntervalSince1970: 1_700_000_000))
        state.lastEventID = 9_007_199_254_740_993
        return state
    }

    @Test func aStateWithEveryFieldSetReadsAsJSONDecoderReadsIt() throws {
        let text = try Self.stored(Self.everyField)
        let read = try #require(StoredStateReader.state(from: text))
        #expect(read == (try Self.decoded(text)))
        #expect(try Self.stored(read) == text)
    }

    @Test func aStateWithItsOptionalFieldsLeftOutReadsAsJSONDecoderReadsIt() throws {
        var sparse = DeploymentState(component: "api", environment: "staging")
        sparse.lastDeploy = .init(runID: "r1", kind: .deploy, version: nil, outcome: "failed", time: Date(timeIntervalSince1970: 5))
        sparse.lastHealth = .init(healthy: true, time: Date(timeIntervalSince1970: 6))
        sparse.runsInProgress = [.init(runID: "r2", kind: .rollback, version: nil, since: Date(timeIntervalSince1970: 7))]
        sparse.ready = .init(version: "v1", commit: nil, color: "blue", since: Date(timeIntervalSince1970: 8))
        for state in [DeploymentState(component: "api", environment: "staging"), sparse] {
            let text = try Self.stored(state)
            let read = try #require(StoredStateReader.state(from: text))
            #expect(read == (try Self.decoded(text)))
            #expect(read == state)
        }
    }

    @Test(arguments: [
        // Optionals written as null, keys in another order, white space.
        #"{ "lastEventID" : 7 , "runsInProgress" : [ ] , "previousVersions" : [ "v0" ] , "environment" : "dev" , "component" : "api" , "liveVersion" : null , "ready" : null , "lastDeploy" : {"time":1.5e3,"outcome":"ok","kind":"test","runID":"r","version":null} }"#,
        #"{"component":"a\u00e9\ud83d\ude80\/b","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":-0,"lastHealth":{"healthy":true,"time":0,"detail":null}}"#,
    ])
    func textsWrittenOtherwiseReadAsJSONDecoderReadsThem(text: String) throws {
        let read = try #require(StoredStateReader.state(from: text))
        #expect(read == (try Self.decoded(text)))
    }

    @Test(arguments: [
        #"{"environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1}"#,  // no component
        #"{"component":"c","environment":"e","runsInProgress":[],"lastEventID":1}"#,  // no previousVersions
        #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[]}"#,  // no lastEventID
        #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":"1"}"#,
        #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1,"liveColor":3}"#,
        #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1,"lastDeploy":{"runID":"r","kind":"launch","outcome":"ok","time":1}}"#,
        #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1,"lastHealth":{"time":1}}"#,
        #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1e400}"#,
        #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":01}"#,
        #"{"component":"\ud83d","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1}"#,
        #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1} x"#,
        #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1"#,
        "",
    ])
    func malformedTextsAreDeclinedAndFailAsBefore(text: String) {
        #expect(StoredStateReader.state(from: text) == nil)
        #expect(throws: (any Error).self) { try Self.decoded(text) }
        // The error names the deployment whose row it is, for the one command that repairs it.
        let key = Projection.Key(component: "c", environment: "e")
        #expect {
            try DeploymentState(stored: text, of: key)
        } throws: { error in
            (error as? SlipwayError)?.message.hasPrefix("the store's recorded state of c in e cannot be read (") == true
        }
    }

    @Test func anUnreadableStateSaysWhatIsWrongWithIt() {
        let key = Projection.Key(component: "api", environment: "staging")
        let cases = [
            ("not json", "not JSON"),
            (#"{"environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1}"#, "no 'component'"),
            (#"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":"one"}"#, "'lastEventID' has the wrong type"),
            (#"{"component":"c","environment":null,"previousVersions":[],"runsInProgress":[],"lastEventID":1}"#, "'environment' is null"),
        ]
        for (text, problem) in cases {
            #expect {
                try DeploymentState(stored: text, of: key)
            } throws: { error in
                (error as? SlipwayError)?.message == "the store's recorded state of api in staging cannot be read (\(problem)); "
                    + "'slipway store rebuild' folds it again from the events"
            }
        }
    }

    @Test func textsTheReaderDeclinesAreStillReadByJSONDecoder() throws {
        // A repeated key, an integer written with a fraction, a trailing comma (JSONDecoder takes it),
        // a key the reader does not know (a field it was not taught must not be dropped):
        // JSONDecoder's business, not the reader's.
        let texts = [
            #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1,"x":[1,]}"#,
            #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1,"later":{"a":[1,-2.5e-3,true,null,"\u00e9"]}}"#,
            #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1,"lastHealth":{"healthy":true,"time":0,"probe":"GET /"}}"#,
            #"{"component":"c","component":"d","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1}"#,
            #"{"component":"c","environment":"e","previousVersions":[],"runsInProgress":[],"lastEventID":1.0}"#,
        ]
        for text in texts {
            #expect(StoredStateReader.state(from: text) == nil)
            #expect((try? DeploymentState(stored: text, of: .init(component: "c", environment: "e"))) == (try? Self.decoded(text)))
        }
        var trailingComma = DeploymentState(component: "c", environment: "e")
        trailingComma.lastEventID = 1
        #expect(try DeploymentState(stored: texts[0], of: .init(component: "c", environment: "e")) == trailingComma)
    }
}
