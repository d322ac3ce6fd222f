/// What a cell's colour means; the terminal maps roles to colours (or to nothing, under
/// `NO_COLOR` and on monochrome terminals), so screens never name a colour themselves.
enum ColorRole: Int, CaseIterable, Sendable {
    case plain
    case title
    case healthy
    case unhealthy
    case inProgress
    case blue
    case green

    /// The role's name in theme files.
    var name: String {
        switch self {
        case .plain: "plain"
        case .title: "title"
        case .healthy: "healthy"
        case .unhealthy: "unhealthy"
        case .inProgress: "in_progress"
        case .blue: "blue"
        case .green: "green"
        }
    }
}
