import Foundation
import LMSDSTestSupport
import Store

#if canImport(Glibc)
  import Glibc
#endif

/// A PostgreSQL server of this test's own, so a test may stop and start it (an outage) without
/// touching anybody else's. Listens on 127.0.0.1 only, trust authentication, removed at the end.
final class PrivatePostgres {
  let directory: String
  let port: Int
  private let bin: String
  private let asServer: [String]

  init() throws {
    guard let bin = FleetEnvironment.postgresBin else {
      throw TestFailure("no PostgreSQL binaries")
    }
    self.bin = bin
    directory =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "lmsds-fleet-pg-\(UUID().uuidString.prefix(8))"
      ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    // The server refuses to run as root: as root, run it as the postgres account.
    asServer = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []
    if getuid() == 0 { try Self.run(["/usr/bin/chown", "postgres:", directory], in: directory) }
    port = try Self.freePort()
    try Self.run(
      asServer + [
        "\(bin)/initdb", "-D", "\(directory)/data", "-U", "postgres", "--auth=trust", "-E", "UTF8",
        "--locale=C.UTF-8", "--no-sync",
      ], in: directory)
    try start()
  }

  deinit {
    _ = try? run(
      asServer + ["\(bin)/pg_ctl", "-D", "\(directory)/data", "-m", "immediate", "-w", "stop"])
    try? FileManager.default.removeItem(atPath: directory)
  }

  func start() throws {
    try run(
      asServer + [
        "\(bin)/pg_ctl", "-D", "\(directory)/data", "-l", "\(directory)/server.log", "-w", "-t",
        "60", "-o",
        "-p \(port) -c listen_addresses=127.0.0.1 -c unix_socket_directories=\(directory) -c fsync=off",
        "start",
      ])
  }

  /// Stops the server, disconnecting every client (a database outage).
  func stop() throws {
    try run(asServer + ["\(bin)/pg_ctl", "-D", "\(directory)/data", "-m", "fast", "-w", "stop"])
  }

  func url(_ database: String) -> String { "postgresql://postgres@127.0.0.1:\(port)/\(database)" }

  /// A fresh database, and its URL.
  func createDatabase(_ name: String) throws -> String {
    let admin = try DatabaseConnector.open(try DatabaseLocation(url: url("postgres")))
    try admin.executeScript("CREATE DATABASE \(name)")
    return url(name)
  }

  @discardableResult
  private func run(_ arguments: [String]) throws -> String {
    try Self.run(arguments, in: directory)
  }

  @discardableResult
  private static func run(_ arguments: [String], in directory: String) throws -> String {
    let outputPath = "\(directory)/command-\(UUID().uuidString.prefix(8)).out"
    let process = try SpawnedProcess(arguments, outputPath: outputPath)
    let status = process.wait(timeout: .seconds(120))
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    guard status == 0 else {
      throw TestFailure("\(arguments.joined(separator: " ")) failed: \(text)")
    }
    return text
  }

  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
        bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
      }
    }
    guard bound else { throw TestFailure("bind failed") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
