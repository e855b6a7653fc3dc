// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "lmsds",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "lmsds", targets: ["lmsds"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.5.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.1.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
  ],
  targets: [
    // C libraries, each behind a system-library target found through pkg-config.
    .systemLibrary(
      name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
    .systemLibrary(
      name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(
      name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
    .systemLibrary(
      name: "CODBC", pkgConfig: "odbc", providers: [.apt(["unixodbc-dev"])]),
    .systemLibrary(
      name: "CLibSSH2", pkgConfig: "libssh2", providers: [.apt(["libssh2-1-dev"])]),

    .target(name: "Messages"),
    // Bridges between threads and tasks that the worker and the commands share, so that a command
    // does not import the worker for them.
    .target(name: "TaskBridge"),
    .target(name: "CSV"),
    .target(name: "UDM", dependencies: ["Messages"]),
    .target(
      name: "Store",
      dependencies: [
        "CLibPQ", "CSQLite", "CODBC", "UDM", "Messages",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    // Source roots, the scan of an extractor tree and file hashing: shared by the producer, the
    // embedded load and the worker's verification, so that the applier does not import the producer.
    .target(
      name: "ExtractorTree",
      dependencies: ["Messages", .product(name: "Crypto", package: "swift-crypto")]),
    .target(
      name: "Producer",
      dependencies: [
        "Messages", "ExtractorTree", "Store", "Kafka", "Archive",
        .product(name: "Logging", package: "swift-log"),
      ]),
    .target(
      name: "Worker",
      dependencies: [
        "CSV", "UDM", "Store", "Messages", "ExtractorTree", "Kafka", "TaskBridge", "Archive",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "CoreMetrics", package: "swift-metrics"),
      ]),
    .target(name: "Kafka", dependencies: ["CRdKafka"]),
    // The content-addressed copy of every published or applied file (`--archive`), and prune.
    .target(
      name: "Archive", dependencies: ["Messages", "ExtractorTree"]),
    .target(name: "Settings", dependencies: ["Store"]),
    // An SFTP client over libssh2: sessions, host-key checks, directory listings, file reads.
    .target(name: "SFTP", dependencies: ["CLibSSH2"]),
    // `lmsds pull`: mirrors settled extractor files from SFTP servers into a local source root.
    .target(name: "Pull", dependencies: ["SFTP", "Messages"]),
    // The ledger pages: queries and server-side HTML, blocking; no HTTP here.
    .target(name: "LedgerPages", dependencies: ["Store", "Messages"]),
    // The HTTP endpoint of `serve` and `work`: the ledger pages, /livez, and routes a caller adds.
    .target(
      name: "StatusServer",
      dependencies: [
        "LedgerPages",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    .executableTarget(
      name: "lmsds",
      dependencies: [
        "Messages", "ExtractorTree", "Store", "Producer", "Worker", "Settings", "Kafka",
        "LedgerPages", "StatusServer", "Pull", "TaskBridge", "Archive",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Prometheus", package: "swift-prometheus"),
      ]),

    // Helpers several test targets share (running `lmsds`, scratch directories and databases,
    // promtool): a plain library beside the tests, on Store alone, which they all depend on anyway.
    .target(name: "LMSDSTestSupport", dependencies: ["Store"], path: "Tests/LMSDSTestSupport"),

    .testTarget(name: "MessagesTests", dependencies: ["Messages"]),
    .testTarget(name: "CSVTests", dependencies: ["CSV"]),
    .testTarget(name: "UDMTests", dependencies: ["UDM"]),
    .testTarget(name: "StoreTests", dependencies: ["Store", "UDM", "LMSDSTestSupport"]),
    .testTarget(
      name: "ProducerTests", dependencies: ["Producer", "ExtractorTree", "Store", "Archive"]),
    .testTarget(
      name: "WorkerTests",
      dependencies: [
        "Worker", "Store", "ExtractorTree", "UDM", "Kafka", "Messages", "LMSDSTestSupport",
        "Archive",
        .product(name: "Prometheus", package: "swift-prometheus"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "Logging", package: "swift-log"),
      ]),
    .testTarget(name: "KafkaTests", dependencies: ["Kafka"]),
    .testTarget(name: "ArchiveTests", dependencies: ["Archive", "Messages", "LMSDSTestSupport"]),
    .testTarget(name: "SettingsTests", dependencies: ["Settings", "Store"]),
    // Loads trees with the real applier, then reads the pages as HTML and, through `lmsds serve`,
    // in headless Chromium: depends on the executable so that `swift test` builds it.
    .testTarget(
      name: "LedgerPagesTests",
      dependencies: [
        "LedgerPages", "StatusServer", "Worker", "Store", "Messages", "ExtractorTree", "lmsds",
        "LMSDSTestSupport",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ]),
    // The command line as users type it (Ed-Fi options, exit statuses, messages): runs the
    // `lmsds` binary, so depends on the executable for `swift test` to build it.
    .testTarget(name: "CommandLineTests", dependencies: ["Store", "lmsds", "LMSDSTestSupport"]),
    // Pulls from a real OpenSSH server (scripts/start-sshd.sh) with the `lmsds` binary, then loads.
    .testTarget(
      name: "PullTests", dependencies: ["Pull", "SFTP", "Store", "lmsds", "LMSDSTestSupport"]),
    // Starts real processes (a Tansu broker, PostgreSQL, several `lmsds work`): depends on the
    // executable so that `swift test` builds the binary it runs.
    .testTarget(
      name: "FleetTests",
      dependencies: [
        "Worker", "Store", "Kafka", "Messages", "Producer", "ExtractorTree", "lmsds",
        "LMSDSTestSupport", "Archive",
      ]),
  ]
)
