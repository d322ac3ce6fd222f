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
}
