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
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "mlgate", targets: ["mlgate"]),
    .library(name: "MLGate", targets: ["MLGate"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
    .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    .package(url: "https://github.com/apple/swift-system", from: "1.5.0"),
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
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Subprocess", package: "swift-subprocess"),
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      swiftSettings: strict),
    .executableTarget(
      name: "mlgate",
      dependencies: [
        "MLGate",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "MLGateTests",
      dependencies: ["MLGate", "MLGateXML", "MLGateHTTP", "mlgate"],
      swiftSettings: strict),
  ]
)
