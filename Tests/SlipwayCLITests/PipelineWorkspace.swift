import Foundation
import SlipwayTestSupport

/// Six fake-cloud components with dependencies, for pipeline tests:
/// accounts <- billing <- web, accounts <- admin, and search and docs on their own.
/// Faults are explicit files in `$STATE_DIR` (outside the components, so versions stay clean):
/// `fail-test-NAME` fails its tests, `unhealthy-NAME` holding a version fails that version's
/// second health check (the validate stage's, after the deploy's own), and while `hold-NAME`
/// exists its deploy waits (at most a minute).
enum PipelineWorkspace {
    static let components = [
        ("services/accounts", ""), ("services/billing", "depends_on: [accounts]\n"), ("apps/web", "depends_on: [billing]\n"),
        ("apps/admin", "depends_on: [accounts]\n"), ("services/search", ""), ("apps/docs", ""),
    ]

    static func makefile(name: String) -> String {
        """
        APP_NAME := \(name)
        APP_TYPE := nodejs
        DEPLOYMENT_TARGET := fake-cloud # a stand-in: no cloud is reachable from tests

        test:
        \t@echo "testing $(APP_NAME)"
        \t@test ! -e "$$STATE_DIR/fail-test-$(APP_NAME)"
        build:
        \t@echo "building $(APP_NAME) $(VERSION)"
        deploy:
        \t@echo "deploying $(APP_NAME) $(VERSION) to $(ENV)"
        \t@echo "$(APP_NAME) $(VERSION) $(ENV)" >> "$$STATE_DIR/deploys.log"
        \t@i=0; while [ -e "$$STATE_DIR/hold-$(APP_NAME)" ] && [ $$i -lt 600 ]; do sleep 0.1; i=$$((i+1)); done
        health-check:
        \t@n=$$(cat "$$STATE_DIR/checks-$(APP_NAME)-$(VERSION)" 2>/dev/null || echo 0); n=$$((n+1)); \\
        \techo $$n > "$$STATE_DIR/checks-$(APP_NAME)-$(VERSION)"; \\
        \tif [ $$n -ge 2 ] && [ "$$(cat "$$STATE_DIR/unhealthy-$(APP_NAME)" 2>/dev/null)" = "$(VERSION)" ]; then \\
        \t  echo "$(APP_NAME) $(VERSION) unhealthy"; exit 1; fi

        """
    }

    /// These components write no coverage or scan reports: the report-based gate is tested in
    /// QualityGateTests and GateCommandTests, and here gate failures come from PipelineSeamTests.
    static let gatesOff = "quality_gates:\n  sonarqube: false\n  security_scan: false\n"

    static func create(function: String = #function) throws -> (TemporaryWorkspace, root: String) {
        let workspace = try TemporaryWorkspace(
            files: ["slipway.yml": "branches:\n  develop: staging\n  main: production\n" + gatesOff], function: function)
        try workspace.commitAll("empty")
        try workspace.write([".gitignore": ".slipway/\nstate/\n"])
        try workspace.makeFolder("state")
        try workspace.commitAll("ignore state")
        let root = try workspace.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
        var files: [String: String] = [:]
        for (path, settings) in components {
            let name = String(path.split(separator: "/")[1])
            files["\(path)/Makefile"] = makefile(name: name)
            files["\(path)/app.txt"] = "\(name)-1"
            if !settings.isEmpty { files["\(path)/slipway.yml"] = settings }
        }
        try workspace.write(files)
        try workspace.commitAll("six components")
        return (workspace, root)
    }

    static func environment(_ workspace: TemporaryWorkspace) -> [String: String] {
        ["STATE_DIR": workspace.root.appendingPathComponent("state").path]
    }

    static func fault(_ workspace: TemporaryWorkspace, _ name: String, _ contents: String = "") throws {
        try workspace.write(["state/\(name)": contents])
    }

    static func version(_ workspace: TemporaryWorkspace, _ path: String) throws -> String {
        String(try workspace.git("log", "-1", "--format=%H", "--", path).prefix(12))
    }
}
