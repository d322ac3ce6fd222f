// swift-tools-version: 6.1
import PackageDescription

// The libFuzzer targets, a package of their own so that the main package's `swift build` never
// meets an executable without `main` (libFuzzer supplies it). Built by scripts/fuzz.sh.
let package = Package(
    name: "SlipwayFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Slipway", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(name: "CLibFuzzer"),
        .executableTarget(
            name: "slipway-fuzz",
            dependencies: [
                "CLibFuzzer",
                .product(name: "SlipwayCore", package: "Slipway"),
                .product(name: "SlipwayRouter", package: "Slipway"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
