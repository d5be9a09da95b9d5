// swift-tools-version:6.0
import PackageDescription

// One module per pipeline stage (see CONTRIBUTING.md):
//   MeshYAML (parse) → MeshModel (typed resources) → MeshValidate (fields,
//   analyzers, policies) → MeshLint (sources, suppressions, reports) → meshc.
let v5: [SwiftSetting] = [.swiftLanguageMode(.v5)]
// The per-file hot path (parse, decode, field rules) mutates a few class
// properties per node; release builds skip the runtime exclusivity checks
// there (the compile-time checks stay). See BENCHMARKS.md.
let hot: [SwiftSetting] = v5 + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "meshc",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "meshc", targets: ["meshc"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(
            name: "CRE2",
            cxxSettings: [.unsafeFlags(["-std=c++17"])],
            linkerSettings: [.linkedLibrary("re2")]
        ),
        .target(name: "MeshDiagnostics", swiftSettings: v5),
        .target(name: "MeshYAML", dependencies: ["CYAML", "MeshDiagnostics"], swiftSettings: hot),
        .target(name: "MeshModel", dependencies: ["MeshYAML", "MeshDiagnostics"], swiftSettings: hot),
        .target(name: "MeshValidate", dependencies: ["MeshModel", "MeshDiagnostics", "CRE2"], swiftSettings: hot),
        .target(name: "MeshLint", dependencies: ["MeshValidate", "MeshModel", "MeshYAML", "MeshDiagnostics"], swiftSettings: v5),
        .executableTarget(
            name: "meshc",
            dependencies: ["MeshLint", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: v5
        ),
        .executableTarget(name: "MeshBench", dependencies: ["MeshLint", "CYAML"], swiftSettings: v5),
        .testTarget(name: "MeshYAMLTests", dependencies: ["MeshYAML"], swiftSettings: v5),
        .testTarget(name: "MeshModelTests", dependencies: ["MeshModel"], swiftSettings: v5),
        .testTarget(
            name: "MeshValidateTests",
            dependencies: ["MeshValidate", "MeshLint", "MeshModel", "MeshYAML", "MeshDiagnostics"],
            resources: [.copy("Golden")],
            swiftSettings: v5
        ),
        .testTarget(
            name: "MeshLintTests",
            dependencies: ["MeshLint", "MeshValidate", "MeshDiagnostics", "meshc"],
            swiftSettings: v5
        ),
    ]
)
