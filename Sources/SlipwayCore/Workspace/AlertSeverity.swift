/// How loudly an alert calls: page a person now, open a ticket, or just tell.
public enum AlertSeverity: String, Sendable, Equatable, Codable, Comparable {
    case info, ticket, page

    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool {
        let order: [AlertSeverity] = [.info, .ticket, .page]
        return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
    }
}
