/// The GitHub Actions workflow that runs `slipway pipeline` with the workspace's branch map, so
/// CI runs exactly what a person runs at the console.
public struct GitHubWorkflow: Sendable, Equatable {
    public static let path = ".github/workflows/slipway-pipeline.yml"

    /// Branch to environment, as `branches:` in slipway.yml.
    public var branches: [String: String]
    /// The folder of the workspace inside the repository ("." at its root).
    public var workspace: String
    public var runsOn: String
    /// The shell step that puts `slipway` on the PATH (runners do not have it).
    public var install: String
    /// The repository secrets the deploying step passes on, each as the variable of its name.
    public var secrets: [String]

    public init(
        branches: [String: String], workspace: String = ".", runsOn: String = "ubuntu-latest", install: String, secrets: [String] = []
    ) {
        self.branches = branches
        self.workspace = workspace
        self.runsOn = runsOn
        self.install = install
        self.secrets = secrets
    }

    /// The names of the secrets `workspace` uses: `secrets:` of the workspace and its
    /// components, each database's `url_env`, and the credential of each secrets provider.
    public static func secretNames(of workspace: Workspace) -> [String] {
        let names = workspace.config.secretNames + workspace.components.flatMap(\.settings.secrets)
            + workspace.config.environments.compactMap(\.secrets?.credentialVariable)
        return Set(names).filter { !$0.hasPrefix("GITHUB_") }.sorted()
    }

    /// A YAML double-quoted scalar.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static func block(_ script: String, indent: Int) -> String {
        let padding = String(repeating: " ", count: indent)
        return "|\n" + script.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : padding + $0 }
            .joined(separator: "\n")
    }

    public var text: String {
        let deploying = branches.keys.sorted()
        let map = branches.sorted { $0.key < $1.key }.map { "\($0.key) -> \($0.value)" }.joined(separator: ", ")
        // On a push, the previous tip is the fallback base; the store (cached between runs) keeps
        // the last successful run, so a failed run's components are still changed next time.
        // GitHub sets CI=true, so runs are recorded with origin `ci`. Event values reach the
        // script through the environment, never spliced into it.
        let push = """
            if [ -n "$BEFORE" ] && [ "$BEFORE" != "0000000000000000000000000000000000000000" ] && git cat-file -e "$BEFORE^{commit}" 2>/dev/null; then
              fallback="$BEFORE"
            else
              fallback="$(git rev-list --max-parents=0 HEAD | tail -n 1)"
            fi
            slipway pipeline --branch "$GITHUB_REF_NAME" --fallback-base "$fallback"
            """
        let pullRequest = """
            slipway pipeline --no-deploy --base "origin/$GITHUB_BASE_REF"
            """
        // Only the deploying step gets the secrets: a pull request's tests and gates need none,
        // and GitHub gives none to pull requests from forks anyway.
        let secretLines = secrets.map { "\n          \($0): ${{ secrets.\($0) }}" }.joined()
        return """
            # Written by `slipway ci github`: runs the same `slipway pipeline` as the console.
            # Branch map: \(map). Other branches and pull requests run tests and gates only.
            name: slipway pipeline
            on:
              push:
                branches: [\(deploying.map(Self.quoted).joined(separator: ", "))]
              pull_request:
              workflow_dispatch:
            permissions:
              contents: read
            concurrency:
              group: slipway-${{ github.ref }}
              cancel-in-progress: false
            jobs:
              pipeline:
                name: detect-changes, quality-gates, deploy-apps, validate-deploy
                runs-on: \(Self.quoted(runsOn))
                defaults:
                  run:
                    shell: bash
                    working-directory: \(Self.quoted(workspace))
                steps:
                  - uses: actions/checkout@v4
                    with:
                      fetch-depth: 0
                  - name: Keep the pipeline's store between runs
                    uses: actions/cache@v4
                    with:
                      path: \(Self.quoted(workspace == "." ? ".slipway" : "\(workspace)/.slipway"))
                      key: slipway-state-${{ github.ref_name }}-${{ github.run_id }}
                      restore-keys: slipway-state-${{ github.ref_name }}-
                  - name: Install slipway
                    run: \(Self.block(install, indent: 10))
                  - name: Pipeline (push)
                    if: github.event_name != 'pull_request'
                    env:
                      BEFORE: ${{ github.event.before }}\(secretLines)
                    run: \(Self.block(push, indent: 10))
                  - name: Pipeline (pull request, tests and gates only)
                    if: github.event_name == 'pull_request'
                    run: \(Self.block(pullRequest, indent: 10))

            """
    }
}
