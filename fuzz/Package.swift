// swift-tools-version: 6.1
import PackageDescription

// The libFuzzer targets, a package of their own so that the main package's `swift build` never
// meets an executable without `main` (libFuzzer supplies it). Built by scripts/fuzz.sh.
let package = Package(
    name: "SlipwayFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Slipway", path: ".."),
    ],
    targets: [
        .systemLibrary(name: "CLibFuzzer"),
        .executableTarget(
            name: "slipway-fuzz",
            dependencies: ["CLibFuzzer", .product(name: "SlipwayCore", package: "Slipway")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
