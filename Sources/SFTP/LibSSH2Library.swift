import CLibSSH2

/// libssh2's process-wide state, set up once before the first session (libssh2_init is not
/// thread-safe, so no two threads may race to it).
enum LibSSH2Library {
  static let initialised: Bool = libssh2_init(0) == 0

  static var version: String { String(cString: libssh2_version(0)) }
}
