/// Where the cursor is in one screen's list and what narrows it; kept per screen so going
/// back returns to the same place.
struct ListState: Equatable, Sendable {
    var selection = 0
    var filter = ""
    /// Items that arrived above the selected one since the operator last moved: the selection
    /// stays on its item, and the screen says how many came in above it.
    var arrivedAbove = 0
}
