import Foundation

/// An environment's secrets from its provider (`secrets:` in its settings), loaded when a run
/// into it is performed, so they live only in the memory of the process that runs it.
///
/// Secrets/ is above Targets/, a peer of Release/, Pipeline/, Gates/, Health/ and Data/ (Support <- Workspace
/// <- Store <- Targets <- Release, Pipeline, Gates, Health, Data, Secrets <- ReadModel <- Engine).
extension Engine {
    /// This engine with the secrets of `environmentName` added to the variables its goals and
    /// API calls see and masked everywhere (the store's copy of the masker included). The
    /// provider's value wins over an operator's variable of the same name, as `doppler run` does.
    public func withSecrets(for environmentName: String?) async throws(SlipwayError) -> Engine {
        guard let environmentName, let settings = try? workspace.environment(named: environmentName),
              let source = settings.secrets else { return self }
        let secrets = try await secrets(from: source, environment: environmentName)
        guard !secrets.isEmpty else { return self }
        var engine = self
        engine.environment.merge(secrets) { _, provided in provided }
        let masker = masker.adding(Array(secrets.values))
        engine.masker = masker
        store.alsoMask(Array(secrets.values))
        let output = self.output
        engine.output = { output(masker.mask($0)) }
        return engine
    }

    func secrets(from source: SecretsSource, environment: String) async throws(SlipwayError) -> [String: String] {
        switch source {
        case .doppler(let project, let config):
            let output = self.output
            return try await DopplerSecrets(environment: self.environment)
                .secrets(project: project, config: config, clock: clock, log: { output($0) })
        case .envFile(let path):
            let file = workspace.root.appendingPathComponent(path)
            var status = stat()
            guard stat(file.path, &status) == 0 else {
                throw SlipwayError(.secretsFile(path: path, environment: environment, .missing(root: workspace.root.path)))
            }
            guard status.st_mode & 0o077 == 0 else {
                throw SlipwayError(.secretsFile(path: path, environment: environment, .readableByOthers(mode: status.st_mode)))
            }
            if let git, try await !git.ignores(file) {
                throw SlipwayError(.secretsFile(path: path, environment: environment, .notIgnored))
            }
            let text: String
            do {
                text = try String(contentsOf: file, encoding: .utf8)
            } catch {
                throw SlipwayError(.fileAccess(.read, path: path, problem: error.localizedDescription))
            }
            return try DotEnvFile.parse(text, file: path).variables
        }
    }
}
