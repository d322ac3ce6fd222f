/// How a cell is drawn: one emphasis and one colour role.
struct CellStyle: Hashable, Sendable {
    enum Emphasis: Hashable, Sendable {
        case normal
        case bold
        case reverse
        case dim
    }

    var emphasis = Emphasis.normal
    var role = ColorRole.plain

    static let plain = CellStyle()
    static let bold = CellStyle(emphasis: .bold)
    static let dim = CellStyle(emphasis: .dim)

    func with(_ emphasis: Emphasis) -> CellStyle {
        CellStyle(emphasis: emphasis, role: role)
    }

    static func colored(_ role: ColorRole, _ emphasis: Emphasis = .normal) -> CellStyle {
        CellStyle(emphasis: emphasis, role: role)
    }
}
