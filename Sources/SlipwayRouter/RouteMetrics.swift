/// A cumulative snapshot of one route's counters, per colour.
public struct RouteMetrics: Sendable, Equatable, Codable {
    public var route: String
    public var blue: ColorMetrics
    public var green: ColorMetrics

    public init(route: String, blue: ColorMetrics = ColorMetrics(), green: ColorMetrics = ColorMetrics()) {
        self.route = route
        self.blue = blue
        self.green = green
    }

    public subscript(color: SlotColor) -> ColorMetrics {
        get {
            switch color {
            case .blue: blue
            case .green: green
            }
        }
        set {
            switch color {
            case .blue: blue = newValue
            case .green: green = newValue
            }
        }
    }

    /// Counts one finished request. Mutates the stored colour in place: going through the
    /// subscript would copy its histogram (about 30 KiB) on every request.
    mutating func record(_ color: SlotColor, statusCode: Int, connectionFailed: Bool, microseconds: UInt64) {
        switch color {
        case .blue: blue.record(statusCode: statusCode, connectionFailed: connectionFailed, microseconds: microseconds)
        case .green: green.record(statusCode: statusCode, connectionFailed: connectionFailed, microseconds: microseconds)
        }
    }

    /// The counters for the interval since `earlier`, per colour.
    public func since(_ earlier: RouteMetrics) -> RouteMetrics {
        RouteMetrics(route: route, blue: blue.since(earlier.blue), green: green.since(earlier.green))
    }
}
