import Foundation

/// One pending delivery.
public struct AlertDelivery: Sendable, Equatable {
    public var id: Int64
    public var sink: String
    public var payload: String
    public var attempts: Int
}
