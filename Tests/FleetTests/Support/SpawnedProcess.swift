import Foundation
import LMSDSTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// A child process started with posix_spawn, output to a file, reaped with waitpid.
///
/// Not Foundation's `Process`: on Linux it learns of a child's end through a descriptor the child
/// inherits, so a daemon the child starts (pg_ctl → postgres) keeps every such process "running".
/// Here every descriptor above 2 is closed in the child, and the end is seen by waitpid.
final class SpawnedProcess {
  let pid: pid_t
  private var status: Int32?

  init(_ arguments: [String], environment: [String: String]? = nil, outputPath: String) throws {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // glibc ≥ 2.34 has it, but its header hides it from Swift: look it up at run time.
    typealias CloseFrom =
      @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    if let symbol = dlsym(
      UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
    {
      _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
    }
    let argv = arguments.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let env =
      (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") }
      + [nil]
    defer { for pointer in env { free(pointer) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, arguments[0], &actions, nil, argv, env)
    guard result == 0 else {
      throw TestFailure("cannot start \(arguments[0]): \(String(cString: strerror(result)))")
    }
    self.pid = pid
  }

  /// The exit status (128 + signal for a death by signal) once ended; nil while running.
  var exitStatus: Int32? {
    if let status { return status }
    var raw: Int32 = 0
    guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
    let signal = raw & 0x7f
    status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    return status
  }

  var isRunning: Bool { exitStatus == nil }

  func signal(_ number: Int32) {
    if isRunning { kill(pid, number) }
  }

  /// Waits for the end; nil when still running after `timeout`.
  func wait(timeout: Duration) -> Int32? {
    _ = eventually(timeout: timeout, interval: .milliseconds(50)) { !isRunning }
    return exitStatus
  }
}
