// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Slipway",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "slipway", targets: ["slipway"]),
        .library(name: "SlipwayCore", targets: ["SlipwayCore"]),
        .library(name: "SlipwayRouter", targets: ["SlipwayRouter"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(
            name: "SlipwayCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "SlipwayRouter",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "SlipwayAgent",
            dependencies: [
                "SlipwayCore", "SlipwayRouter",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "SlipwayConsole",
            dependencies: ["SlipwayCore", "CNcursesw", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "slipway",
            dependencies: [
                "SlipwayCore",
                "SlipwayConsole",
                "SlipwayAgent",
                "SlipwayRouter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // Every command pays at start for what the loader does to a 200 MB binary. As a
            // position-independent executable it applies 160,000 relocations, writing into 2 MB
            // of pages; and the static Swift libraries export its every symbol, which Swift's
            // backtracer set-up then walks (dladdr) before main. A fixed address and no exported
            // symbols take `version` from 909 to 373 page faults (bench/README.md, fifteenth
            // session). Release only: debug builds, which the tests run, keep SwiftPM's defaults.
            linkerSettings: [
                .unsafeFlags(["-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic"], .when(configuration: .release))
            ]
        ),
        .executableTarget(
            name: "slipway-router-bench",
            dependencies: ["SlipwayRouter"],
            path: "bench/Sources/slipway-router-bench"
        ),
        .executableTarget(
            name: "slipway-bench",
            dependencies: ["SlipwayCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "bench/Sources/slipway-bench"
        ),
        .executableTarget(
            name: "slipway-gates-bench",
            dependencies: ["SlipwayCore"],
            path: "bench/Sources/slipway-gates-bench"
        ),
        .executableTarget(
            name: "slipway-pipeline-bench",
            dependencies: ["SlipwayCore"],
            path: "bench/Sources/slipway-pipeline-bench"
        ),
        .executableTarget(
            name: "slipway-migrate-bench",
            dependencies: ["SlipwayCore"],
            path: "bench/Sources/slipway-migrate-bench"
        ),
        .executableTarget(
            name: "slipway-slo-bench",
            dependencies: ["SlipwayCore", .product(name: "GRDBSQLite", package: "GRDB.swift")],
            path: "bench/Sources/slipway-slo-bench"
        ),
        .target(
            name: "SlipwayTestSupport",
            dependencies: [
                "SlipwayCore", .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/SlipwayTestSupport"
        ),
        .testTarget(
            name: "SlipwayCoreTests",
            dependencies: ["SlipwayCore", "SlipwayTestSupport", .product(name: "PostgresNIO", package: "postgres-nio")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SlipwayRouterTests",
            dependencies: ["SlipwayRouter", .product(name: "NIOEmbedded", package: "swift-nio")]
        ),
        .testTarget(
            name: "SlipwayConsoleTests",
            dependencies: ["SlipwayConsole", "SlipwayCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "SlipwayCLITests",
            dependencies: ["SlipwayCore", "SlipwayAgent", "SlipwayTestSupport", "slipway"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
