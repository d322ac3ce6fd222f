import Foundation
import SlipwayTestSupport

/// A git workspace whose Makefiles echo what they do and fail, or hold, on demand:
/// `FAIL_TEST=1`, `FAIL_DEPLOY=<env>`, `FAIL_HEALTH=1`, and `HOLD_FILE=path` (the deploy
/// waits while that file exists and writes its shell's pid to `path.pid`).
enum FakeCloudWorkspace {
    static func makefile(name: String) -> String {
        """
        APP_NAME := \(name)
        APP_TYPE := nodejs
        DEPLOYMENT_TARGET := fake-cloud # a stand-in: no cloud is reachable from tests

        test:
        \t@echo "testing $(APP_NAME)"
        \t@test -z "$(FAIL_TEST)"
        build:
        \t@echo "building $(APP_NAME) $(VERSION)"
        deploy:
        \t@echo "deploying $(APP_NAME) $(VERSION) to $(ENV) content=$$(cat app.txt) token=$$DEPLOY_TOKEN"
        \t@if [ -n "$$HOLD_FILE" ]; then echo $$$$ > "$$HOLD_FILE.pid"; while [ -e "$$HOLD_FILE" ]; do sleep 0.1; done; fi
        \t@test "$(FAIL_DEPLOY)" != "$(ENV)"
        health-check:
        \t@echo "checking $(APP_NAME) $(VERSION) in $(ENV)"
        \t@test -z "$(FAIL_HEALTH)"

        """
    }

    static func create(function: String = #function) throws -> TemporaryWorkspace {
        let workspace = try TemporaryWorkspace(files: [
            "apps/web/Makefile": makefile(name: "web"),
            "apps/web/app.txt": "web-1",
            "services/accounts/Makefile": makefile(name: "accounts"),
            "services/accounts/app.txt": "accounts-1",
        ], function: function)
        try workspace.commitAll("first")
        return workspace
    }

    /// The version Slipway gives `path` at HEAD: 12 hex digits of its last commit.
    static func version(_ workspace: TemporaryWorkspace, _ path: String) throws -> String {
        String(try workspace.git("log", "-1", "--format=%H", "--", path).prefix(12))
    }
}
