// swift-tools-version: 6.2
import PackageDescription

/// Our own targets: Swift 6 mode, explicit `any`, internal imports, and every warning an error.
let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
  .treatAllWarnings(as: .error),
]

let package = Package(
  name: "mlgate",
  // Built and tested on Linux (Debian 12, x86_64) only: that is what CI runs. macOS 15 is the
  // floor swift-subprocess sets; nobody has built mlgate there yet.
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "mlgate", targets: ["mlgate"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
    .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    // Micro-benchmarks (ci/bench-micro); the malloc interposer only, as on this toolchain.
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .systemLibrary(
      name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(
      name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
    .target(name: "MLGateXML", dependencies: ["CLibXML2"], swiftSettings: strict),
    .target(name: "MLGateHTTP", dependencies: ["CCurl"], swiftSettings: strict),
    .target(
      name: "MLGate",
      dependencies: [
        "MLGateXML", "MLGateHTTP",
        .product(name: "Yams", package: "Yams"),
        .product(name: "Subprocess", package: "swift-subprocess"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SystemPackage", package: "swift-system"),
        .product(name: "Histogram", package: "hdrhistogram-swift"),
      ],
      exclude: ["Checks/README.md"],
      swiftSettings: strict),
    .executableTarget(
      name: "mlgate",
      dependencies: [
        "MLGate",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    // libFuzzer's entry point on the parsers; ci/fuzz links it with libFuzzer and ASan.
    .target(
      name: "MLGateFuzz", dependencies: ["MLGate", "MLGateTestSupport"], swiftSettings: strict),
    // Test doubles and test-only readers (JUnit XML, XSD validation): never in the executable.
    .target(
      name: "MLGateTestSupport",
      dependencies: ["MLGate", "MLGateXML", "MLGateHTTP", "CLibXML2"],
      swiftSettings: strict),
    .testTarget(
      name: "MLGateTests",
      dependencies: [
        "MLGate", "MLGateXML", "MLGateHTTP", "MLGateTestSupport", "MLGateFuzz", "mlgate",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict),
    // package-benchmark finds its targets in folders named Benchmarks.
    .executableTarget(
      name: "StatisticsBenchmarks",
      dependencies: ["MLGate", .product(name: "Benchmark", package: "benchmark")],
      path: "Tests/Benchmarks/StatisticsBenchmarks",
      swiftSettings: strict,
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
  ]
)
