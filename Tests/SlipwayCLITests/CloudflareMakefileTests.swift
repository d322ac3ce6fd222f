import Foundation
import SlipwayTestSupport
import Testing

/// The seed's `deploy/cloudflare.mk` as a component Makefile includes it, with a wrangler that
/// only records its arguments (the real one would call Cloudflare).
@Suite struct CloudflareMakefileTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The seed's environments block maps development to `workers_env: dev`; staging and
    /// production keep their names.
    @Test func deployWorkerPassesTheSeedsWorkersEnvironment() throws {
        let workspace = try TemporaryWorkspace(files: [
            "deploy/shared.mk": try String(contentsOf: Self.repository.appendingPathComponent("deploy/shared.mk"), encoding: .utf8),
            "deploy/cloudflare.mk": try String(contentsOf: Self.repository.appendingPathComponent("deploy/cloudflare.mk"), encoding: .utf8),
            "bin/wrangler": "#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/calls\"\n",
            "services/edge/Makefile": """
                APP_NAME := edge
                include ../../deploy/shared.mk
                include ../../deploy/cloudflare.mk

                deploy: deploy-worker

                """,
        ])
        let wrangler = workspace.root.appendingPathComponent("bin/wrangler")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrangler.path)
        for environment in ["development", "staging", "production"] {
            let result = try workspace.run("/usr/bin/env", [
                "make", "--no-print-directory", "-C", "services/edge", "deploy", "ENV=\(environment)", "VERSION=v1",
                "WRANGLER=\(wrangler.path)",
            ], environment: ["MAKEFLAGS": "", "MAKELEVEL": ""])
            #expect(result.status == 0, "\(result.output)")
        }
        #expect(try workspace.read("bin/calls") == """
            deploy --env dev --var VERSION:v1
            deploy --env staging --var VERSION:v1
            deploy --env production --var VERSION:v1

            """)
    }
}
