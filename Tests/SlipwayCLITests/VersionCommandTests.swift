import Foundation
import SlipwayCore
import SlipwayTestSupport
import Testing

/// `slipway version` alone is answered before the command line is parsed (issue 15 item 2; the
/// time it saves is in bench/startup.py): the answer must be the parsed command's, and anything
/// more on the line must still go through argument-parser.
@Suite struct VersionCommandTests {
    let expected = "slipway \(SlipwayVersion.current)\n"

    @Test func versionAloneAnswersAsTheParsedCommandDoes() throws {
        let slipway = SlipwayProcess(try TemporaryWorkspace())
        let quick = try slipway("version")
        #expect(quick.status == 0 && quick.stdout == expected && quick.stderr.isEmpty, "\(quick)")
        // An option before or after it takes the parsed path; the answer is the same.
        for parsed in [["--log-level", "error", "version"], ["version", "--log-level=debug"]] {
            let answer = try slipway.run(parsed)
            #expect(answer.status == 0 && answer.stdout == expected, "\(parsed): \(answer)")
        }
    }

    @Test func optionsAndExtraWordsAreStillParsed() throws {
        let slipway = SlipwayProcess(try TemporaryWorkspace())
        let help = try slipway("version", "--help")
        #expect(help.status == 0 && help.stdout.contains("Print Slipway's version."), "\(help)")
        let extra = try slipway("version", "now")
        #expect(extra.status == 2 && extra.stdout.isEmpty, "\(extra)")
        #expect(extra.stderr.hasPrefix("slipway: error: ") && extra.stderr.split(separator: "\n").count == 1, "\(extra.stderr)")
        let badLevel = try slipway("version", "--log-level", "loud")
        #expect(badLevel.status == 2 && badLevel.stderr.contains("--log-level"), "\(badLevel.stderr)")
    }
}
