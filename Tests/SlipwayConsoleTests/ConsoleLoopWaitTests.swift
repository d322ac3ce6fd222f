import Foundation
@testable import SlipwayConsole
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The terminal thread waits for the terminal's input, a posted message or the next second,
/// whichever comes first. Each wait below could last a minute: one that ends sooner was ended by
/// what the test did, not by its timeout.
@Suite struct ConsoleLoopWaitTests {
    private static let aMinute: Int32 = 60_000

    /// A pipe standing in for the terminal: its read end is the input, its write end the keyboard.
    private final class FakeTerminal {
        let input: Int32
        var keyboard: Int32

        init() throws {
            var ends: [Int32] = [-1, -1]
            try #require(pipe(&ends) == 0)
            input = ends[0]
            keyboard = ends[1]
        }

        func hangUp() {
            close(keyboard)
            keyboard = -1
        }

        deinit {
            close(input)
            if keyboard >= 0 { close(keyboard) }
        }
    }

    @Test func theWaitEndsWhenTheClockTicks() {
        #expect(ConsoleLoop.wait(until: 1001, now: Date(timeIntervalSince1970: 1000.875)) == 125)
        #expect(ConsoleLoop.wait(until: 1001, now: Date(timeIntervalSince1970: 1000.998046875)) == 2)
        #expect(ConsoleLoop.wait(until: 1001, now: Date(timeIntervalSince1970: 1001.5)) == 1)
    }

    @Test func aClockThatJumpedBackWaitsNoLongerThanASecond() {
        #expect(ConsoleLoop.wait(until: 1001, now: Date(timeIntervalSince1970: 100)) == ConsoleLoop.longestWait)
        #expect(ConsoleLoop.longestWait == 1000)
    }

    @Test func aMessagePostedFromAnotherThreadEndsTheWait() throws {
        let terminal = try FakeTerminal()
        let mailbox = try ConsoleMailbox()
        let poster = Thread {
            usleep(50_000)
            mailbox.post(.tick(Date(timeIntervalSince1970: 7)))
        }
        poster.start()
        let readiness = InputWait.wait(terminal: terminal.input, wake: mailbox.terminalWake.readDescriptor, milliseconds: Self.aMinute)
        #expect(readiness == .woken)
        mailbox.terminalWake.drain()
        #expect(mailbox.takeMessages() == [.tick(Date(timeIntervalSince1970: 7))])
    }

    @Test func messagesPostedBeforeTheWaitEndItAtOnceAndAreTakenTogether() throws {
        let terminal = try FakeTerminal()
        let mailbox = try ConsoleMailbox()
        for second in 1...3 { mailbox.post(.tick(Date(timeIntervalSince1970: Double(second)))) }
        #expect(InputWait.wait(terminal: terminal.input, wake: mailbox.terminalWake.readDescriptor, milliseconds: Self.aMinute) == .woken)
        mailbox.terminalWake.drain()
        #expect(mailbox.takeMessages().count == 3)
        // Drained and taken: nothing is left to end the next wait.
        #expect(InputWait.wait(terminal: terminal.input, wake: mailbox.terminalWake.readDescriptor, milliseconds: 0) == [])
        // Posted after the take: the next wait ends again.
        mailbox.post(.tick(Date(timeIntervalSince1970: 4)))
        #expect(InputWait.wait(terminal: terminal.input, wake: mailbox.terminalWake.readDescriptor, milliseconds: Self.aMinute) == .woken)
        mailbox.terminalWake.drain()
        #expect(mailbox.takeMessages() == [.tick(Date(timeIntervalSince1970: 4))])
    }

    @Test func aKeyEndsTheWait() throws {
        let terminal = try FakeTerminal()
        let mailbox = try ConsoleMailbox()
        var key: UInt8 = UInt8(ascii: "j")
        #expect(write(terminal.keyboard, &key, 1) == 1)
        #expect(InputWait.wait(terminal: terminal.input, wake: mailbox.terminalWake.readDescriptor, milliseconds: Self.aMinute) == .input)
    }

    @Test func aHungUpTerminalEndsTheWaitAndSaysSo() throws {
        let terminal = try FakeTerminal()
        let mailbox = try ConsoleMailbox()
        terminal.hangUp()
        let readiness = InputWait.wait(terminal: terminal.input, wake: mailbox.terminalWake.readDescriptor, milliseconds: Self.aMinute)
        #expect(readiness.contains(.hungUp))
    }
}
