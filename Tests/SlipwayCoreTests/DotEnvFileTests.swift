import SlipwayCore
import Testing

/// The `env-file` secrets provider reads dotenv files as the dotenv libraries do, and a line it
/// cannot read is an error at its place.
@Suite struct DotEnvFileTests {
    @Test func namesValuesQuotesCommentsAndExport() throws {
        let text = """
            # staging's secrets
            DEPLOY_TOKEN=tok-123
            export API_KEY = "a b\\"c\\nd"   # a comment
            LITERAL='x\\ny # not a comment'
            BARE=value # comment
            HASH=abc#def
            EMPTY=
            CRLF=yes\r

            DEPLOY_TOKEN=tok-456
            """
        let file = try DotEnvFile.parse(text, file: ".env.staging")
        #expect(file.variables == [
            "DEPLOY_TOKEN": "tok-456", "API_KEY": "a b\"c\nd", "LITERAL": "x\\ny # not a comment", "BARE": "value",
            "HASH": "abc#def", "EMPTY": "", "CRLF": "yes",
        ])
    }

    @Test(arguments: [
        ("GOOD=1\n1BAD=2", ".env.staging:2:1: expected NAME=value, a name of letters, digits and _"),
        ("NAME value", ".env.staging:1:6: expected '=' after NAME"),
        ("A=1\nQUOTED=\"open", ".env.staging:2:8: the value of QUOTED opens a quote it never closes on this line"),
        ("Q='v' trailing", ".env.staging:1:7: unexpected text after the quoted value of Q"),
    ])
    func aLineItCannotReadIsAnErrorAtItsPlace(text: String, message: String) {
        let error = #expect(throws: SlipwayError.self) { try DotEnvFile.parse(text, file: ".env.staging") }
        #expect(error?.message == message)
        #expect(error?.exitCode == 2)
    }
}
