import CLibSSH2
import Foundation

/// One logged-in SSH connection with its SFTP channel, used from one thread at a time.
///
/// Opening it connects, checks the host key before any credential is sent, and logs in; closing
/// it (or releasing it) ends the connection. All libssh2 handles stay inside.
public final class SFTPSession {
  public let endpoint: SFTPEndpoint
  private let connection: TCPConnection
  private let session: OpaquePointer
  private var sftp: OpaquePointer?

  public init(
    endpoint: SFTPEndpoint, credential: SFTPCredential, knownHosts: KnownHostsPolicy,
    timeoutSeconds: Int32 = 30
  ) throws {
    guard LibSSH2Library.initialised else {
      throw SFTPError.handshake(server: endpoint.hostAndPort, reason: "libssh2 failed to start")
    }
    self.endpoint = endpoint
    do {
      connection = try TCPConnection(
        host: endpoint.host, port: endpoint.port, timeoutSeconds: timeoutSeconds)
    } catch {
      throw SFTPError.unreachable(server: endpoint.hostAndPort, reason: error.reason)
    }
    guard let session = libssh2_session_init_ex(nil, nil, nil, nil) else {
      throw SFTPError.handshake(server: endpoint.hostAndPort, reason: "out of memory")
    }
    self.session = session
    // Blocking calls, each bounded: a server that stops answering fails the run, not hangs it.
    libssh2_session_set_blocking(session, 1)
    libssh2_session_set_timeout(session, Int(timeoutSeconds) * 1000)
    do {
      try open(credential: credential, knownHosts: knownHosts)
    } catch {
      close()
      throw error
    }
  }

  deinit { close() }

  private func open(credential: SFTPCredential, knownHosts: KnownHostsPolicy) throws {
    if libssh2_session_handshake(session, connection.descriptor) != 0 {
      throw SFTPError.handshake(server: endpoint.hostAndPort, reason: lastError())
    }
    guard let key = HostKey(session: session) else {
      throw SFTPError.handshake(server: endpoint.hostAndPort, reason: "the server sent no host key")
    }
    try HostKeyVerifier(policy: knownHosts, endpoint: endpoint).verify(key, session: session)
    try authenticate(credential)
    guard let channel = libssh2_sftp_init(session) else {
      throw SFTPError.request(
        server: endpoint.hostAndPort, operation: "start the SFTP subsystem", path: "",
        reason: lastError())
    }
    sftp = channel
  }

  private func authenticate(_ credential: SFTPCredential) throws {
    let user = endpoint.user
    let userLength = UInt32(user.utf8.count)
    let status: Int32
    switch credential {
    case .privateKey(let path, let passphrase):
      guard FileManager.default.isReadableFile(atPath: path) else {
        throw SFTPError.loginRefused(
          server: endpoint.hostAndPort, user: user, method: "key file \(path) is not readable")
      }
      // No public key file: libssh2 derives it from the private key.
      status = libssh2_userauth_publickey_fromfile_ex(
        session, user, userLength, nil, path, passphrase)
    case .password(let password, _):
      status = libssh2_userauth_password_ex(
        session, user, userLength, password, UInt32(password.utf8.count), nil)
    }
    // The library's own message is left out: the refusal is all an operator needs, and no
    // text from the exchange can then carry a secret into a log.
    if status != 0 || libssh2_userauth_authenticated(session) == 0 {
      if status == LIBSSH2_ERROR_SOCKET_SEND || status == LIBSSH2_ERROR_SOCKET_DISCONNECT
        || status == LIBSSH2_ERROR_TIMEOUT
      {
        throw SFTPError.connectionLost(
          server: endpoint.hostAndPort, reason: "during the login of user \(user)")
      }
      throw SFTPError.loginRefused(
        server: endpoint.hostAndPort, user: user, method: credential.description)
    }
  }

  /// The entries of `directory` except `.` and `..`, with their attributes (not following links).
  public func list(_ directory: String) throws -> [RemoteEntry] {
    let handle = try openHandle(directory, flags: 0, type: LIBSSH2_SFTP_OPENDIR, operation: "list")
    defer { libssh2_sftp_close_handle(handle) }
    var entries: [RemoteEntry] = []
    var name = [CChar](repeating: 0, count: 4096)
    while true {
      var attributes = LIBSSH2_SFTP_ATTRIBUTES()
      let length = libssh2_sftp_readdir_ex(handle, &name, name.count, nil, 0, &attributes)
      if length == 0 { break }
      if length < 0 { throw requestFailure(Int(length), operation: "list", path: directory) }
      let entryName = name.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: UInt8.self) {
          String(decoding: UnsafeBufferPointer(rebasing: $0[0..<Int(length)]), as: UTF8.self)
        }
      }
      if entryName == "." || entryName == ".." { continue }
      entries.append(Self.entry(named: entryName, attributes))
    }
    return entries
  }

  /// Reads the whole of file `path`, handing each chunk to `consume`, and returns the file's
  /// attributes as the server reports them after the last byte (to see whether it changed).
  public func read(
    _ path: String, consume: (UnsafeRawBufferPointer) throws -> Void
  ) throws -> (bytesRead: UInt64, after: RemoteEntry) {
    let handle = try openHandle(
      path, flags: UInt(LIBSSH2_FXF_READ), type: LIBSSH2_SFTP_OPENFILE, operation: "open")
    defer { libssh2_sftp_close_handle(handle) }
    let chunkSize = 256 * 1024
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
    defer { buffer.deallocate() }
    var total: UInt64 = 0
    while true {
      let count = libssh2_sftp_read(
        handle, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), chunkSize)
      if count == 0 { break }
      if count < 0 { throw requestFailure(count, operation: "read", path: path) }
      try consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
      total += UInt64(count)
    }
    var attributes = LIBSSH2_SFTP_ATTRIBUTES()
    let status = libssh2_sftp_fstat_ex(handle, &attributes, 0)
    if status != 0 { throw requestFailure(Int(status), operation: "stat", path: path) }
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return (total, Self.entry(named: name, attributes))
  }

  /// Ends the SFTP channel and the connection; later calls fail. Safe to call twice.
  public func close() {
    if let channel = sftp {
      libssh2_sftp_shutdown(channel)
      sftp = nil
      libssh2_session_disconnect_ex(session, SSH_DISCONNECT_BY_APPLICATION, "done", "")
    }
    if !freed {
      libssh2_session_free(session)
      freed = true
    }
  }
  private var freed = false

  private func openHandle(
    _ path: String, flags: UInt, type: Int32, operation: String
  ) throws -> OpaquePointer {
    guard let channel = sftp else {
      throw SFTPError.connectionLost(server: endpoint.hostAndPort, reason: "session closed")
    }
    guard
      let handle = libssh2_sftp_open_ex(
        channel, path, UInt32(path.utf8.count), flags, 0, type)
    else {
      throw requestFailure(
        Int(libssh2_session_last_errno(session)), operation: operation, path: path)
    }
    return handle
  }

  /// An SFTP status from the server when the failure is one, else a broken connection.
  private func requestFailure(_ code: Int, operation: String, path: String) -> SFTPError {
    if code == Int(LIBSSH2_ERROR_SFTP_PROTOCOL), let channel = sftp {
      let status = libssh2_sftp_last_error(channel)
      return .request(
        server: endpoint.hostAndPort, operation: operation, path: path,
        reason: Self.statusText(status))
    }
    return .connectionLost(
      server: endpoint.hostAndPort, reason: "\(operation) \(path): \(lastError())")
  }

  private func lastError() -> String {
    var message: UnsafeMutablePointer<CChar>?
    var length: Int32 = 0
    let code = libssh2_session_last_error(session, &message, &length, 0)
    guard let message else { return "libssh2 error \(code)" }
    return String(cString: message)
  }

  private static func statusText(_ status: UInt) -> String {
    switch status {
    case UInt(LIBSSH2_FX_NO_SUCH_FILE): return "no such file"
    case UInt(LIBSSH2_FX_PERMISSION_DENIED): return "permission denied"
    case UInt(LIBSSH2_FX_NO_SUCH_PATH): return "no such path"
    case UInt(LIBSSH2_FX_FAILURE): return "failure"
    default: return "SFTP status \(status)"
    }
  }

  private static func entry(named name: String, _ attributes: LIBSSH2_SFTP_ATTRIBUTES)
    -> RemoteEntry
  {
    let hasPermissions = attributes.flags & UInt(LIBSSH2_SFTP_ATTR_PERMISSIONS) != 0
    let format = attributes.permissions & UInt(LIBSSH2_SFTP_S_IFMT)
    let kind: RemoteEntry.Kind
    if !hasPermissions {
      kind = .other
    } else if format == UInt(LIBSSH2_SFTP_S_IFREG) {
      kind = .file
    } else if format == UInt(LIBSSH2_SFTP_S_IFDIR) {
      kind = .directory
    } else {
      kind = .other
    }
    return RemoteEntry(
      name: name, kind: kind, size: UInt64(attributes.filesize),
      modificationTime: Int64(attributes.mtime))
  }
}
