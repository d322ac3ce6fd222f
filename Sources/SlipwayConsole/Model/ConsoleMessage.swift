import Foundation
import SlipwayCore

/// Everything that can change the console's state: input from the operator, the terminal,
/// the clock and the engine.
enum ConsoleMessage: Equatable, Sendable {
    case key(ConsoleKey)
    case resize(rows: Int, columns: Int)
    case tick(Date)
    case fleetLoaded([FleetRow], [RunRecord], ConsoleHeader)
    case loadFailed(String)
}
