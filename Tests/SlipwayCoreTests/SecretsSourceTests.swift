import SlipwayCore
import Testing

/// `secrets:` in an environment names where its secrets come from; a mistake is a config error
/// at its place.
@Suite struct SecretsSourceTests {
    @Test func dopplerAndEnvFileAreRead() throws {
        let config = try WorkspaceConfig.parse("""
            environments:
              staging:
                secrets: {provider: doppler, project: shop, config: stg}
              production:
                secrets: {provider: env-file}
              development:
                secrets: {provider: env-file, path: secrets/dev.env}
            """, file: "slipway.yml")
        #expect(try config.environment(named: "staging").secrets == .doppler(project: "shop", config: "stg"))
        #expect(try config.environment(named: "production").secrets == .envFile(path: ".env.production"))
        #expect(try config.environment(named: "development").secrets == .envFile(path: "secrets/dev.env"))
        #expect(SecretsSource.doppler(project: "shop", config: "stg").credentialVariable == "DOPPLER_TOKEN")
    }

    @Test(arguments: [
        ("secrets: {provider: vault}", "slipway.yml:3:25: unknown secrets provider 'vault' (known: doppler, env-file)"),
        ("secrets: {provider: doppler, project: shop}", "slipway.yml:3:14: provider doppler needs project and config"),
        ("secrets: {project: shop}", "slipway.yml:3:14: secrets of environment 'staging' need a provider"),
        ("secrets: {provider: env-file, path: ../outside.env}", "slipway.yml:3:41: path must stay inside the workspace"),
        ("secrets: {provider: env-file, config: stg}", "slipway.yml:3:43: config is for provider doppler, not env-file"),
        ("secrets: {provider: doppler, project: a, config: b, token: x}", "slipway.yml:3:57: unknown key 'token'"),
    ])
    func mistakesAreConfigErrorsAtTheirPlace(line: String, expected: String) {
        let text = "environments:\n  staging:\n    \(line)\n"
        let error = #expect(throws: SlipwayError.self) { try WorkspaceConfig.parse(text, file: "slipway.yml") }
        #expect(error?.message.hasPrefix(expected) == true, "\(error?.message ?? "no error")")
        #expect(error?.exitCode == 2)
    }
}
