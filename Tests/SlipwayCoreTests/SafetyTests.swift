import Foundation
import SlipwayCore
import Testing

@Suite struct SafetyTests {
    @Test(arguments: ["../etc", "a/b", "v 1", "v1;rm -rf /", "$(touch x)", "`id`", "v1|x", "", "..", "-rf", "v1\nx"])
    func unsafeVersionsAreRefused(version: String) {
        #expect(!ReleaseVersion.isValid(version))
        #expect(throws: SlipwayError.self) { try ReleaseVersion.validate(version) }
    }

    @Test(arguments: ["1a2b3c4d5e6f", "1a2b3c4d5e6f-dirty", "v1.2.3", "2026.11.29+build.7", "release_1"])
    func ordinaryVersionsAreAccepted(version: String) {
        #expect(ReleaseVersion.isValid(version))
    }

    @Test(arguments: ["accounts", "landing-page", "qis.data_2"])
    func componentNamesThatAreSafe(name: String) { #expect(Workspace.isValidName(name)) }

    @Test(arguments: ["..", "a/b", "a b", "a;b", "$x", "Accounts", ".hidden", "-x", ""])
    func componentNamesThatAreNot(name: String) { #expect(!Workspace.isValidName(name)) }

    @Test func maskerHidesNamedAndConventionalSecrets() {
        let masker = SecretMasker(
            environment: ["API_TOKEN": "tok-123456", "DB_PASSWORD": "hunter22", "STRIPE_KEY": "sk_live_1", "DATABASE_URL": "postgres://u:p@h/db",
                          "PATH": "/usr/bin", "SHORT_TOKEN": "ab"],
            names: ["DATABASE_URL"])
        #expect(masker.mask("curl -H tok-123456 postgres://u:p@h/db hunter22 sk_live_1 /usr/bin ab")
            == "curl -H **** **** **** **** /usr/bin ab")
    }

    @Test func stageCommandsShowQuotedArgumentsAndNeverUseAShell() {
        let command = StageCommand(executable: "make", arguments: ["deploy", "VERSION=a b;c"], directory: URL(fileURLWithPath: "/tmp"))
        #expect(command.displayText == "make deploy 'VERSION=a b;c'")
        #expect(command.executable == "make")
    }
}
