import Foundation

extension JSONEncoder {
    /// Compact (one line per message, as the protocol needs) and with stable key order.
    static var controlProtocol: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
