// swift-tools-version: 6.1
// Dubbelslot: the double-lock registry for civic-integration courses.
// Versions are the ones that resolve together on this machine kind (shared/SWIFT-NOTES.md).

import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Dubbelslot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dubbelslot", targets: ["dubbelslot"]),
        // The inspectorate's risk report: an HTTP client of the service only (no PostgreSQL, no server).
        .executable(name: "dubbelslot-report", targets: ["dubbelslot-report"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Server-rendered pages under /app (docs/decisions/0018): logic-less templates, no JavaScript needed.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Domain types, validation and the risk model: pure Swift, no I/O.
        .target(
            name: "DubbelslotCore",
            swiftSettings: swiftSettings
        ),
        // Every SQL statement, the migrations runner, reference-data import, the embedded PostgreSQL.
        .target(
            name: "DubbelslotStore",
            dependencies: [
                "DubbelslotCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // The HTTP contract (openapi.yaml) and the generator's configuration only.
        .target(
            name: "DubbelslotOpenAPI",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            resources: [.copy("openapi.yaml")],
            swiftSettings: swiftSettings,
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        // glibc's malloc_trim, which Swift's Glibc module does not export (<malloc.h>).
        .target(name: "CMallocTrim"),
        // zlib, which swift-nio-extras links already, to keep overviews compressed (<zlib.h>).
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),
        // The APIProtocol implementation, access policy, problem+json, the application builder.
        .target(
            name: "DubbelslotAPI",
            dependencies: [
                "CMallocTrim",
                "CZlib",
                "DubbelslotCore",
                "DubbelslotStore",
                "DubbelslotOpenAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CSV", package: "CSV.swift"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // Posts webhooks: the server-side Swift HTTP client, already used by the report tool and the tests.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            resources: [.copy("Web/Templates")],
            swiftSettings: swiftSettings
        ),
        // The command line: argument parsing only.
        .executableTarget(
            name: "dubbelslot",
            dependencies: [
                "DubbelslotCore",
                "DubbelslotStore",
                "DubbelslotAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The risk report: fetched through the generated client, rendered as table, CSV, JSON, Markdown or HTML.
        .target(
            name: "DubbelslotReport",
            dependencies: [
                "DubbelslotCore",
                "DubbelslotOpenAPI",
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "CSV", package: "CSV.swift"),
            ],
            resources: [.copy("report.schema.json")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "dubbelslot-report",
            dependencies: [
                "DubbelslotReport",
                "DubbelslotCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared test helpers: the throwaway PostgreSQL cluster and a database per test.
        .target(
            name: "DubbelslotTestSupport",
            dependencies: [
                "DubbelslotCore",
                "DubbelslotStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DubbelslotCoreTests",
            dependencies: [
                "DubbelslotCore",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DubbelslotStoreTests",
            dependencies: [
                "DubbelslotCore",
                "DubbelslotStore",
                "DubbelslotTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The report's own rules (table layout, terminal width), without a service or a database.
        .testTarget(
            name: "DubbelslotReportTests",
            dependencies: ["DubbelslotReport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DubbelslotAPITests",
            dependencies: [
                "DubbelslotCore",
                "DubbelslotStore",
                "DubbelslotAPI",
                // The generated `package` types: responses are decoded with the contract's own schemas.
                "DubbelslotOpenAPI",
                "DubbelslotReport",
                "DubbelslotTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
