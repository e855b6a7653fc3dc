import CLibSSH2
import Foundation

/// The key a server presented in the handshake: its bytes, type and the SHA-256 fingerprint
/// OpenSSH prints (`ssh-keygen -l`), so an operator can compare the two.
struct HostKey {
  let blob: [UInt8]
  let libssh2Type: Int32
  let fingerprint: String

  /// The key of `session`'s handshake; nil if libssh2 kept none (no handshake yet).
  init?(session: OpaquePointer) {
    var length = 0
    var type: Int32 = 0
    guard let key = libssh2_session_hostkey(session, &length, &type), length > 0 else { return nil }
    blob = key.withMemoryRebound(to: UInt8.self, capacity: length) {
      Array(UnsafeBufferPointer(start: $0, count: length))
    }
    libssh2Type = type
    guard let hash = libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256) else { return nil }
    let digest = hash.withMemoryRebound(to: UInt8.self, capacity: 32) {
      Data(UnsafeBufferPointer(start: $0, count: 32))
    }
    // OpenSSH writes the digest as unpadded base64.
    var encoded = digest.base64EncodedString()
    while encoded.hasSuffix("=") { encoded.removeLast() }
    fingerprint = "SHA256:" + encoded
  }

  /// The key's name in a known-hosts line and in `ssh -Q key`.
  var typeName: String {
    switch libssh2Type {
    case LIBSSH2_HOSTKEY_TYPE_RSA: return "ssh-rsa"
    case LIBSSH2_HOSTKEY_TYPE_DSS: return "ssh-dss"
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return "ecdsa-sha2-nistp256"
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return "ecdsa-sha2-nistp384"
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return "ecdsa-sha2-nistp521"
    case LIBSSH2_HOSTKEY_TYPE_ED25519: return "ssh-ed25519"
    default: return "unknown"
    }
  }

  /// The type bits libssh2's known-hosts check matches entries on: only entries of the same key
  /// type are compared, as OpenSSH does.
  var knownHostKeyMask: Int32 {
    switch libssh2Type {
    case LIBSSH2_HOSTKEY_TYPE_RSA: return LIBSSH2_KNOWNHOST_KEY_SSHRSA
    case LIBSSH2_HOSTKEY_TYPE_DSS: return LIBSSH2_KNOWNHOST_KEY_SSHDSS
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256: return LIBSSH2_KNOWNHOST_KEY_ECDSA_256
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384: return LIBSSH2_KNOWNHOST_KEY_ECDSA_384
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521: return LIBSSH2_KNOWNHOST_KEY_ECDSA_521
    case LIBSSH2_HOSTKEY_TYPE_ED25519: return LIBSSH2_KNOWNHOST_KEY_ED25519
    default: return LIBSSH2_KNOWNHOST_KEY_UNKNOWN
    }
  }
}
