/// One character cell of a frame.
struct Cell: Hashable, Sendable {
    static let blank = Cell(character: " ", style: .plain)

    var character: Character
    var style: CellStyle
}
