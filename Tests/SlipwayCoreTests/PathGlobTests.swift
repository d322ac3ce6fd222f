import SlipwayCore
import Testing

@Suite struct PathGlobTests {
    @Test(arguments: [
        ("deploy/**", "deploy/k8s/app.yaml", true),
        ("deploy/**", "deploy", true),
        ("deploy/**", "deployment/x", false),
        ("**/*.md", "README.md", true),
        ("**/*.md", "docs/a/b/guide.md", true),
        ("**/*.md", "docs/guide.mdx", false),
        ("*.yml", "slipway.yml", true),
        ("*.yml", "apps/web/slipway.yml", false),
        ("src/?.ts", "src/a.ts", true),
        ("src/?.ts", "src/ab.ts", false),
        ("src/*/index.ts", "src/x/index.ts", true),
        ("src/*/index.ts", "src/x/y/index.ts", false),
        ("packages/{auth,ui}/**", "packages/ui/button.tsx", true),
        ("packages/{auth,ui}/**", "packages/core/x.ts", false),
        ("{apps,services}/*/Dockerfile", "services/accounts/Dockerfile", true),
        ("lib/[ab]*.c", "lib/alpha.c", true),
        ("lib/[!ab]*.c", "lib/alpha.c", false),
        ("**/.env", "apps/web/.env", true),
        ("a/**/b", "a/b", true),
        ("a/**/b", "a/x/y/b", true),
        ("a*b*c", "aXXbYYc", true),
        ("a*b*c", "aXXbYY", false),
    ])
    func matches(_ pattern: String, _ path: String, _ expected: Bool) {
        #expect(PathGlob(pattern).matches(path) == expected, "\(pattern) vs \(path)")
    }

    /// Found by the path-glob fuzzer (fuzz/regressions/path-glob): a backwards range trapped.
    @Test func aBackwardsRangeMatchesNothing() {
        #expect(!PathGlob("lib/[z-a].c").matches("lib/b.c"))
        #expect(!PathGlob("lib/[z-a].c").matches("lib/z.c"))
        #expect(PathGlob("lib/[!z-a].c").matches("lib/b.c"))
    }

    @Test func exclusionsAndChangeTypes() {
        let filter = PathFilter([
            .init("packages/shared/**"), .init("!**/*.md"), .init("docs/**", changes: [.added, .renamed]),
        ])
        #expect(filter.matches(ChangedFile(path: "packages/shared/a.ts", change: .modified)))
        #expect(!filter.matches(ChangedFile(path: "packages/shared/README.md", change: .modified)))
        #expect(filter.matches(ChangedFile(path: "docs/new.txt", change: .added)))
        #expect(!filter.matches(ChangedFile(path: "docs/old.txt", change: .modified)))
        #expect(!filter.matches(ChangedFile(path: "other/a.ts", change: .added)))
    }
}
