import Foundation
import Kafka
import LMSDSTestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A Tansu broker of this test's own (in-memory storage), so that killing it and starting an
/// empty one on the same port loses every message without touching the shared test broker.
final class PrivateTansu {
  let port: Int
  let logPath: String
  private let binary: String
  private var process: SpawnedProcess?
  private var starts = 0

  var address: String { "127.0.0.1:\(port)" }

  init(binary: String, logDirectory: String) throws {
    self.binary = binary
    port = try PrivatePostgres.freePort()
    logPath = "\(logDirectory)/tansu-\(port).log"
    try start()
  }

  deinit {
    process?.signal(SIGKILL)
    _ = process?.wait(timeout: .seconds(5))
  }

  private func start() throws {
    starts += 1
    let url = "tcp://\(address)"
    process = try SpawnedProcess(
      [binary, "broker", "--listener-url", url, "--advertised-listener-url", url],
      outputPath: logPath)
    let listening = eventually(timeout: .seconds(15), interval: .milliseconds(50)) {
      Self.accepts(port: port)
    }
    guard listening else { throw TestFailure("tansu did not listen on \(port)") }
  }

  /// SIGKILL, then a new empty broker on the same address: what the issue saw in production.
  func restartEmpty() throws {
    process?.signal(SIGKILL)
    _ = process?.wait(timeout: .seconds(10))
    try start()
  }

  private static func accepts(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }
}
