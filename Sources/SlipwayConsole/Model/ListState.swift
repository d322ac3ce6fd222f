/// Where the cursor is in one screen's list and what narrows it; kept per screen so going
/// back returns to the same place.
struct ListState: Equatable, Sendable {
    var selection = 0
    var filter = ""
}
