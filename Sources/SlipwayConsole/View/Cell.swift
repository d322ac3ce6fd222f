/// One character cell of a frame.
struct Cell: Hashable, Sendable {
    static let blank = Cell(scalar: " ", style: .plain)

    /// The first scalar of the character drawn, which is what the terminal puts in the cell.
    /// A scalar rather than a `Character` keeps a cell free of references, so a frame of ten
    /// thousand is made, compared and freed as plain memory on every keypress.
    var scalar: Unicode.Scalar
    var style: CellStyle
}
