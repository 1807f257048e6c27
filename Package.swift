// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "cts",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "cts", targets: ["cts"]),
        .library(name: "CTSCore", targets: ["CTSCore"]),
        .library(name: "CTSIO", targets: ["CTSIO"]),
        .library(name: "CTSStore", targets: ["CTSStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // C boundary: libcsv (Debian libcsv-dev, no pkg-config file) and sqlite3.
        .systemLibrary(name: "CCSV", path: "Sources/CCSV"),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        // Workbooks: libxlsxwriter writes them (Debian libxlsxwriter-dev); expat reads their XML parts
        // (libexpat1-dev), which ZIPFoundation takes out of the zip.
        .systemLibrary(
            name: "CXLSXWriter", path: "Sources/CXLSXWriter", pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(
            name: "CExpat", path: "Sources/CExpat", pkgConfig: "expat", providers: [.apt(["libexpat1-dev"])]),
        // Pure domain: questionnaires, ICCS, the rule language, validation. No file I/O.
        .target(name: "CTSCore"),
        // Edges: CSV and YAML reading, reference tables, report writers.
        .target(
            name: "CTSIO",
            dependencies: [
                "CTSCore", "CCSV", "CXLSXWriter", "CExpat",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
        // The store: SQLite behind a thin wrapper, schema migrations, submissions with their history.
        .target(name: "CTSStore", dependencies: ["CTSCore", "CSQLite"]),
        // The command-line surface, kept in a library so tests run commands in process.
        .target(
            name: "CTSCLI",
            dependencies: [
                "CTSCore", "CTSIO", "CTSStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "cts", dependencies: ["CTSCLI"]),
        // Fuzzing entry (make fuzz); built normally it replays inputs through the same harness.
        .executableTarget(
            name: "cts-fuzz",
            dependencies: ["CTSCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .testTarget(name: "CTSTests", dependencies: [
                "CTSCore", "CTSIO", "CTSStore", "CTSCLI", "CSQLite",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
