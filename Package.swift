// swift-tools-version:6.0
import PackageDescription

// One module per pipeline stage (see CONTRIBUTING.md):
//   MeshYAML (parse) → MeshModel (typed resources) → MeshValidate (fields,
//   analyzers, policies) → MeshLint (sources, suppressions, reports) → meshc.
//   MeshSource (files of a git commit or a folder) drives MeshLint through a
//   parse cache keyed by blob id.
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]
// Modules converted to the Swift 6 language mode (full data-race checking).
let v6: [SwiftSetting] = [.swiftLanguageMode(.v6)]
// meshc's allocator: Debian's mimalloc (libmimalloc-dev), linked ahead of glibc so
// its malloc and free serve the Swift runtime, libyaml, libgit2 and RE2 alike
// (a lint makes millions of small allocations; `meshc lint` at 10,000 services
// 0.55 → 0.51 s, `meshc build` 1.35 → 1.22 s: BENCHMARKS.md, issue 15 session 19).
// `AllocatorTests` holds the link order to it.
let mimalloc: [LinkerSetting] = [.linkedLibrary("mimalloc", .when(platforms: [.linux]))]
// The static Swift runtime's link arguments export every symbol of the executable (`-export-dynamic`):
// 53,000 of meshc's, which the runtime's start-up `dladdr` (the backtracer finding its helper) scanned one
// by one, and which every library's symbol lookup went through. Nothing resolves meshc's own symbols at
// run time, so meshc exports none (BENCHMARKS.md, issue 15 session 22).
let ownSymbolsKept: [LinkerSetting] = [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux]))]

let package = Package(
    name: "meshc",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "meshc", targets: ["meshc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        // meshc agent: its HTTP API (Hummingbird), Envoy's admin API (AsyncHTTPClient), logs.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.19.0"),
        // mTLS between reconciler and agents (issue 10): already in the graph through AsyncHTTPClient.
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.27.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        // meshc reconcile: /metrics in Prometheus text through swift-metrics.
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        // meshc reconcile: HMAC-SHA256 of GitHub webhook deliveries.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // The mesh CA: X.509 certificates and PKCS#10 requests (issue 10).
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.1.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "CGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .target(
            name: "CRE2",
            cxxSettings: [.unsafeFlags(["-std=c++17"])],
            linkerSettings: [.linkedLibrary("re2")]
        ),
        .target(name: "MeshDiagnostics", swiftSettings: v5),
        .target(name: "MeshYAML", dependencies: ["CYAML", "MeshDiagnostics"], swiftSettings: v5),
        .target(name: "MeshModel", dependencies: ["MeshYAML", "MeshDiagnostics"], swiftSettings: v5),
        .target(name: "MeshValidate", dependencies: ["MeshModel", "MeshDiagnostics", "CRE2"], swiftSettings: v5),
        .target(name: "MeshLint", dependencies: ["MeshValidate", "MeshModel", "MeshYAML", "MeshDiagnostics"], swiftSettings: v5),
        // Source: files of a git commit (libgit2, no checkout) or a folder; the parse cache.
        .target(name: "MeshSource", dependencies: ["CGit2", "MeshLint"], swiftSettings: v5),
        // Build: MeshCompile (resolve, merge → per-proxy IR) → MeshIR (plain values) → MeshEmit (Envoy v3 JSON).
        .target(name: "MeshIR", swiftSettings: v6),
        .target(name: "MeshCompile", dependencies: ["MeshModel", "MeshValidate", "MeshIR", "MeshDiagnostics"], swiftSettings: v5),
        // The one snapshot model Emit, Plan, Agent and Reconcile share: typed resources, bytes and hashes, bundle, consistency.
        // Versions are SHA-256 (`ContentVersion`): swift-crypto.
        .target(name: "MeshSnapshot", dependencies: ["MeshDiagnostics", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: v6),
        .target(name: "MeshEmit", dependencies: ["MeshIR", "MeshSnapshot", "MeshDiagnostics"], swiftSettings: v6),
        // Source → lint → compile → emit → snapshots: the one facade every command and benchmark builds through.
        .target(name: "MeshPipeline", dependencies: ["MeshSource", "MeshLint", "MeshCompile", "MeshEmit", "MeshIR", "MeshSnapshot", "MeshDiagnostics"],
                swiftSettings: v6),
        // `meshc route`: Envoy's matching rules on the compiled IR.
        .target(name: "MeshExplain", dependencies: ["MeshIR", "MeshDiagnostics", "CRE2"], swiftSettings: v6),
        // Plan: desired vs running resources per proxy (pure pairing and diffing).
        .target(name: "MeshPlan", dependencies: ["MeshSnapshot", "MeshDiagnostics"], swiftSettings: v6),
        // Identity: SPIFFE IDs, the mesh CA and workload certificate issuance (swift-certificates, no openssl).
        .target(
            name: "MeshIdentity",
            dependencies: [
                "MeshDiagnostics",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: v6
        ),
        // Apply: `meshc agent` beside one Envoy (bootstrap, supervision, make-before-break file delivery, HTTP API).
        .target(
            name: "MeshAgent",
            dependencies: [
                "MeshSnapshot",
                "MeshDiagnostics",
                "MeshIdentity",
                // Gateway credential files checked before an apply (GatewayCredentialCheck).
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                // The agent's /metrics (issue 12).
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: v6
        ),
        // Reconcile: desired state from a commit, pure decisions per proxy (pair, diff, act), agents over HTTP.
        .target(
            name: "MeshReconcile",
            dependencies: [
                "MeshSource",
                "MeshPipeline",
                "MeshSnapshot",
                "MeshPlan",
                "MeshAgent",
                "MeshDiagnostics",
                "MeshIdentity",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: v6
        ),
        .executableTarget(
            name: "meshc",
            dependencies: [
                "MeshLint",
                "MeshSource",
                "MeshCompile",
                "MeshPipeline",
                "MeshEmit",
                "MeshSnapshot",
                "MeshExplain",
                "MeshPlan",
                "MeshAgent",
                "MeshReconcile",
                "MeshIdentity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: v5,
            linkerSettings: mimalloc + ownSymbolsKept
        ),
        .executableTarget(
            name: "MeshBench",
            dependencies: ["MeshLint", "MeshSource", "MeshCompile", "MeshEmit", "MeshPipeline", "MeshSnapshot", "MeshPlan", "MeshAgent", "MeshDiagnostics", "CYAML",
                           .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: v5,
            linkerSettings: mimalloc
        ),
        // `make bench-ca`: CSRs signed per second by the mesh CA (a small target: its release build skips the rest of meshc).
        .executableTarget(name: "MeshCABench", dependencies: ["MeshIdentity", "MeshDiagnostics", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: v6),
        // Shared test helpers: repository root, subprocess runner, meshc and Envoy lookup, git fixture, goldens, the `.e2e` tag.
        .target(name: "MeshTestSupport", dependencies: ["MeshAgent"], path: "Tests/MeshTestSupport", swiftSettings: v5),
        .testTarget(name: "MeshYAMLTests", dependencies: ["MeshYAML"], swiftSettings: v5),
        .testTarget(name: "MeshSourceTests", dependencies: ["MeshSource", "MeshLint", "MeshDiagnostics", "MeshTestSupport"], swiftSettings: v5),
        .testTarget(name: "MeshModelTests", dependencies: ["MeshYAML", "MeshDiagnostics", "MeshModel"], swiftSettings: v5),
        .testTarget(name: "MeshExplainTests", dependencies: ["MeshExplain", "MeshIR", "MeshDiagnostics", "MeshTestSupport", "meshc"], swiftSettings: v5),
        .testTarget(
            name: "MeshValidateTests",
            dependencies: ["MeshValidate", "MeshLint", "MeshModel", "MeshYAML", "MeshDiagnostics", "MeshTestSupport"],
            resources: [.copy("Golden")],
            swiftSettings: v5
        ),
        .testTarget(
            name: "MeshCompileTests",
            dependencies: ["MeshCompile", "MeshEmit", "MeshIR", "MeshLint", "MeshModel", "MeshYAML", "MeshDiagnostics", "MeshPipeline", "MeshSnapshot", "MeshTestSupport"],
            exclude: ["Golden"],
            swiftSettings: v5
        ),
        .testTarget(
            name: "MeshLintTests",
            dependencies: ["MeshLint", "MeshValidate", "MeshDiagnostics", "meshc", "MeshTestSupport"],
            swiftSettings: v5
        ),
        .testTarget(
            name: "MeshPlanTests",
            dependencies: ["MeshPlan", "MeshEmit", "MeshSnapshot", "MeshPipeline", "MeshDiagnostics", "MeshCompile", "MeshModel", "MeshYAML", "meshc", "MeshTestSupport"],
            swiftSettings: v5
        ),
        // End-to-end: real Envoy (.venv/bin/envoy) in front of `meshc echo` backends.
        .testTarget(name: "MeshE2ETests", dependencies: ["meshc", "MeshAgent", "MeshSnapshot", "MeshPipeline", "MeshReconcile", "MeshTestSupport",
                                                   .product(name: "Crypto", package: "swift-crypto"),
                                                   // Gateway certificates with chosen validity (GatewayCredentialAgentTests).
                                                   .product(name: "X509", package: "swift-certificates")], swiftSettings: v5),
        .testTarget(name: "MeshReconcileTests", dependencies: ["MeshReconcile", "MeshIdentity", "MeshPipeline", "MeshSnapshot", "MeshSource", "MeshAgent", "MeshEmit", "MeshIR", "MeshPlan", "MeshDiagnostics", "MeshTestSupport"], swiftSettings: v5),
        .testTarget(name: "MeshSnapshotTests", dependencies: ["MeshSnapshot", "MeshPipeline", "MeshEmit", "MeshIR", "MeshDiagnostics", "MeshTestSupport"], swiftSettings: v6),
        .testTarget(
            name: "MeshIdentityTests",
            dependencies: ["MeshIdentity", "meshc", "MeshTestSupport", .product(name: "X509", package: "swift-certificates"), .product(name: "SwiftASN1", package: "swift-asn1"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: v6
        ),
        .testTarget(name: "MeshAgentTests", dependencies: ["MeshAgent", "MeshSnapshot", "MeshEmit", "MeshIR", "MeshDiagnostics", "MeshTestSupport",
                                                    .product(name: "X509", package: "swift-certificates"),
                                                    .product(name: "SwiftASN1", package: "swift-asn1"),
                                                    .product(name: "Crypto", package: "swift-crypto")], swiftSettings: v5),
    ]
)
