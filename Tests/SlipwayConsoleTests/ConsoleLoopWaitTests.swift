import Foundation
@testable import SlipwayConsole
import Testing

/// The terminal thread's wait for a key is not ended by a posted message: until the first fleet
/// has arrived it is kept short, so the first frame is drawn soon after the fleet is read.
@Suite struct ConsoleLoopWaitTests {
    @Test func beforeTheFirstLoadTheWaitForAKeyIsShort() {
        let now = Date(timeIntervalSince1970: 1000.5)
        #expect(ConsoleLoop.keyWait(loaded: false, until: 1001, now: now) == ConsoleLoop.firstLoadWait)
        #expect(ConsoleLoop.keyWait(loaded: true, until: 1001, now: now) == ConsoleLoop.longestWait)
    }

    @Test func eitherWayTheWaitEndsWhenTheClockTicks() {
        #expect(ConsoleLoop.keyWait(loaded: true, until: 1001, now: Date(timeIntervalSince1970: 1000.875)) == 125)
        #expect(ConsoleLoop.keyWait(loaded: false, until: 1001, now: Date(timeIntervalSince1970: 1000.998046875)) == 2)
        #expect(ConsoleLoop.keyWait(loaded: false, until: 1001, now: Date(timeIntervalSince1970: 1001.5)) == 1)
    }
}
