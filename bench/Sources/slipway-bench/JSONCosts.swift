import Foundation
import SlipwayCore

/// The Foundation JSON work one `append` of the whole run does, measured apart (best of 3):
/// encoding each payload, decoding it again (`Projection.apply(Event)` reads `Event.details`,
/// which decodes the payload just encoded, with a new JSONDecoder each time), and decoding and
/// encoding every touched `DeploymentState` once per batch (`loadStates` and `save`).
struct JSONCosts {
    var payloadEncode: Double
    var payloadDecode: Double
    var states: Double
    var stateCount: Int
    var batches: Int

    var total: Double { payloadEncode + payloadDecode + states }

    static func measure(events: Int, batch: Int, states: [DeploymentState]) throws -> JSONCosts {
        let details = (0..<events).map { EventFactory.event($0).details }
        let payloads = try details.map { try EventFactory.encoder.encode($0) }
        let batches = (events + batch - 1) / batch
        let stateEncoder = JSONEncoder()
        stateEncoder.dateEncodingStrategy = .millisecondsSince1970
        stateEncoder.outputFormatting = .sortedKeys
        let stateDecoder = JSONDecoder()
        stateDecoder.dateDecodingStrategy = .millisecondsSince1970
        let stateTexts = try states.map { String(decoding: try stateEncoder.encode($0), as: UTF8.self) }
        var encode: [Double] = []
        var decode: [Double] = []
        var state: [Double] = []
        for _ in 0..<3 {
            var start = now()
            for detail in details {
                // As EventStore.append: a String of the encoded Data, then masked (no secrets here).
                _ = String(decoding: try EventFactory.encoder.encode(detail), as: UTF8.self)
            }
            encode.append(seconds(since: start))
            start = now()
            for payload in payloads {
                guard (try? JSONDecoder().decode(EventDetails.self, from: payload)) != nil else { throw BenchError("decode") }
            }
            decode.append(seconds(since: start))
            start = now()
            for _ in 0..<batches {
                for text in stateTexts {
                    let decoded = try stateDecoder.decode(DeploymentState.self, from: Data(text.utf8))
                    _ = String(decoding: try stateEncoder.encode(decoded), as: UTF8.self)
                }
            }
            state.append(seconds(since: start))
        }
        return JSONCosts(
            payloadEncode: encode.min() ?? .nan, payloadDecode: decode.min() ?? .nan, states: state.min() ?? .nan,
            stateCount: states.count, batches: batches)
    }
}
