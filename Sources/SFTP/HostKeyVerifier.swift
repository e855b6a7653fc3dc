import CLibSSH2
import Foundation

/// Checks a server's host key against an OpenSSH known-hosts file with libssh2's own parser
/// (hashed host names included), and adds a first-seen key when the policy allows.
struct HostKeyVerifier {
  let policy: KnownHostsPolicy
  let endpoint: SFTPEndpoint

  func verify(_ key: HostKey, session: OpaquePointer) throws(SFTPError) {
    guard let hosts = libssh2_knownhost_init(session) else {
      throw .knownHostsFile(path: policy.path, reason: "libssh2 could not allocate its list")
    }
    defer { libssh2_knownhost_free(hosts) }
    let exists = FileManager.default.fileExists(atPath: policy.path)
    // A missing file lists no key: every server is then unknown (and may be accepted).
    if exists {
      let read = libssh2_knownhost_readfile(hosts, policy.path, LIBSSH2_KNOWNHOST_FILE_OPENSSH)
      if read < 0 {
        throw .knownHostsFile(
          path: policy.path, reason: "unreadable or malformed (libssh2 \(read))")
      }
    }
    let typeMask =
      LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | key.knownHostKeyMask
    let outcome = key.blob.withUnsafeBufferPointer { bytes in
      bytes.withMemoryRebound(to: CChar.self) { characters in
        libssh2_knownhost_checkp(
          hosts, endpoint.host, Int32(endpoint.port), characters.baseAddress, characters.count,
          typeMask, nil)
      }
    }
    switch outcome {
    case LIBSSH2_KNOWNHOST_CHECK_MATCH:
      return
    case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
      throw .changedHostKey(
        server: endpoint.hostAndPort, keyType: key.typeName, fingerprint: key.fingerprint,
        knownHosts: policy.path)
    case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
      guard policy.acceptNew else {
        throw .unknownHostKey(
          server: endpoint.hostAndPort, keyType: key.typeName, fingerprint: key.fingerprint,
          knownHosts: policy.path)
      }
      try append(key)
    default:
      throw .knownHostsFile(path: policy.path, reason: "libssh2 could not check the key")
    }
  }

  /// Appends `[host]:port type base64` (plain `host` on port 22), the line OpenSSH writes.
  private func append(_ key: HostKey) throws(SFTPError) {
    let name = endpoint.port == 22 ? endpoint.host : "[\(endpoint.host)]:\(endpoint.port)"
    let line = "\(name) \(key.typeName) \(Data(key.blob).base64EncodedString())\n"
    do {
      if !FileManager.default.fileExists(atPath: policy.path) {
        guard FileManager.default.createFile(atPath: policy.path, contents: nil) else {
          throw SFTPError.knownHostsFile(path: policy.path, reason: "cannot create it")
        }
      }
      let handle = try FileHandle(forUpdating: URL(fileURLWithPath: policy.path))
      defer { try? handle.close() }
      let end = try handle.seekToEnd()
      // A file whose last line lacks its newline would otherwise merge with ours.
      if end > 0 {
        try handle.seek(toOffset: end - 1)
        if handle.readData(ofLength: 1) != Data("\n".utf8) {
          try handle.write(contentsOf: Data("\n".utf8))
        }
        _ = try handle.seekToEnd()
      }
      try handle.write(contentsOf: Data(line.utf8))
    } catch let failure as SFTPError {
      throw failure
    } catch {
      throw .knownHostsFile(path: policy.path, reason: "cannot add the key: \(error)")
    }
  }
}
