import Foundation

/// One file offered for loading: the message the producer publishes and a worker applies
/// (architecture, "Messages"). JSON, so any tool can read a topic; versioned, so producer and
/// workers can be upgraded one at a time.
public struct FileMessage: Hashable, Sendable, Codable {
  /// What this code writes. A reader accepts any `1.x`: minor versions only add keys.
  public static let currentVersion = "1.0"
  public static let supportedMajorVersion = 1

  public var version: String
  public var provider: ProviderName
  public var resource: ResourceKind
  /// Relative to the provider's root, `/`-separated.
  public var relativePath: String
  public var size: Int64
  /// SHA-256 of the file's bytes when it was scanned.
  public var sha256: SHA256Digest
  public var nameTimestamp: NameTimestamp
  /// The producer run that found the file, so a ledger row can be traced to its scan.
  public var scanId: String
  /// True when re-published by `lmsds replay`.
  public var replay: Bool
  /// True when re-published by `lmsds replay --force`: applied regardless of identity and
  /// watermark (load-semantics §8). Omitted from the JSON when false and read as false when
  /// absent, so version 1.0 readers and writers stay compatible.
  public var force: Bool
  /// ISO-8601 in UTC, e.g. `2024-05-01T02:03:04.123Z`.
  public var publishedAt: String

  public init(
    provider: ProviderName, resource: ResourceKind, relativePath: String, size: Int64,
    sha256: SHA256Digest, nameTimestamp: NameTimestamp, scanId: String, replay: Bool = false,
    force: Bool = false, publishedAt: Date
  ) {
    self.version = Self.currentVersion
    self.provider = provider
    self.resource = resource
    self.relativePath = relativePath
    self.size = size
    self.sha256 = sha256
    self.nameTimestamp = nameTimestamp
    self.scanId = scanId
    self.replay = replay
    self.force = force
    self.publishedAt = Self.iso8601(publishedAt)
  }

  private enum CodingKeys: String, CodingKey {
    case version, provider, resource, relativePath, size, sha256, nameTimestamp, scanId, replay,
      force, publishedAt
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    version = try container.decode(String.self, forKey: .version)
    provider = try container.decode(ProviderName.self, forKey: .provider)
    resource = try container.decode(ResourceKind.self, forKey: .resource)
    relativePath = try container.decode(String.self, forKey: .relativePath)
    size = try container.decode(Int64.self, forKey: .size)
    // Decoded as text, so that a bad digest is reported as the malformed message it is.
    let digest = try container.decode(String.self, forKey: .sha256)
    guard let sha256 = SHA256Digest(hex: digest) else {
      throw FileMessageError.malformed("sha256 is not 64 lower-case hexadecimal digits")
    }
    self.sha256 = sha256
    nameTimestamp = try container.decode(NameTimestamp.self, forKey: .nameTimestamp)
    scanId = try container.decode(String.self, forKey: .scanId)
    replay = try container.decode(Bool.self, forKey: .replay)
    // Added in 1.0 without a version bump: messages written before it have no "force".
    force = try container.decodeIfPresent(Bool.self, forKey: .force) ?? false
    publishedAt = try container.decode(String.self, forKey: .publishedAt)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(version, forKey: .version)
    try container.encode(provider, forKey: .provider)
    try container.encode(resource, forKey: .resource)
    try container.encode(relativePath, forKey: .relativePath)
    try container.encode(size, forKey: .size)
    try container.encode(sha256, forKey: .sha256)
    try container.encode(nameTimestamp, forKey: .nameTimestamp)
    try container.encode(scanId, forKey: .scanId)
    try container.encode(replay, forKey: .replay)
    // Only a forced replay carries the key, so ordinary messages keep their exact 1.0 bytes.
    if force { try container.encode(force, forKey: .force) }
    try container.encode(publishedAt, forKey: .publishedAt)
  }

  /// The Kafka key: all of a provider's messages land in one partition, in order.
  public var key: [UInt8] { Self.key(for: provider) }

  public static func key(for provider: ProviderName) -> [UInt8] { Array(provider.rawValue.utf8) }

  /// The identity the ledger checks (load-semantics §8).
  public var identity: FileIdentity {
    FileIdentity(provider: provider, relativePath: relativePath, sha256: sha256)
  }

  /// Where the file sits; never nil for a decoded message, which `decode` checks.
  public var location: ResourceLocation? { ResourceLocation(relativePath: relativePath) }

  public var publishedDate: Date? {
    if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(publishedAt)
    {
      return date
    }
    return try? Date.ISO8601FormatStyle().parse(publishedAt)
  }

  public func encode() -> [UInt8] {
    let encoder = JSONEncoder()
    // Sorted keys make equal messages equal bytes, which keeps tests and topic dumps readable.
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    // Every field is a plain string, number or Bool: encoding cannot fail.
    return Array(try! encoder.encode(self))
  }

  public static func decode(_ bytes: [UInt8]) throws -> FileMessage {
    let data = Data(bytes)
    let decoder = JSONDecoder()
    let envelope: Envelope
    do {
      envelope = try decoder.decode(Envelope.self, from: data)
    } catch {
      throw FileMessageError.malformed("not a JSON object with a string \"version\"")
    }
    guard let major = Self.majorVersion(envelope.version) else {
      throw FileMessageError.malformed("version \"\(envelope.version)\" is not MAJOR.MINOR")
    }
    guard major == supportedMajorVersion else {
      throw FileMessageError.unsupportedVersion(envelope.version)
    }
    let message: FileMessage
    do {
      message = try decoder.decode(FileMessage.self, from: data)
    } catch let error as DecodingError {
      throw FileMessageError.malformed(Self.describe(error))
    }
    try message.validate()
    return message
  }

  /// A worker opens `<root>/<relativePath>`: a path that is not an extractor file (`..`, absolute,
  /// another resource) must never get that far.
  private func validate() throws {
    guard let location = ResourceLocation(relativePath: relativePath) else {
      throw FileMessageError.malformed("relativePath is not an LMS-UDM file path")
    }
    guard location.resource == resource else {
      throw FileMessageError.malformed(
        "resource \(resource.rawValue) does not match the path's \(location.resource.rawValue)")
    }
    guard location.nameTimestamp == nameTimestamp else {
      throw FileMessageError.malformed("nameTimestamp does not match the file name")
    }
    guard size >= 0 else { throw FileMessageError.malformed("size is negative") }
    guard !provider.rawValue.isEmpty else { throw FileMessageError.malformed("provider is empty") }
  }

  static func majorVersion(_ version: String) -> Int? {
    let parts = version.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count >= 2,
      parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } })
    else { return nil }
    return Int(parts[0])
  }

  static func iso8601(_ date: Date) -> String {
    date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
  }

  private static func describe(_ error: DecodingError) -> String {
    switch error {
    case .keyNotFound(let key, _): return "missing key \"\(key.stringValue)\""
    case .typeMismatch(_, let context), .valueNotFound(_, let context),
      .dataCorrupted(let context):
      let path = context.codingPath.map(\.stringValue).joined(separator: ".")
      return path.isEmpty ? context.debugDescription : "\"\(path)\": \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }

  private struct Envelope: Decodable { var version: String }
}

/// Why a message could not be read. Carries no file content, only what is wrong.
public enum FileMessageError: Error, Hashable, Sendable, CustomStringConvertible {
  /// A version this reader does not understand; the message must wait for a newer worker.
  case unsupportedVersion(String)
  case malformed(String)

  public var description: String {
    switch self {
    case .unsupportedVersion(let version):
      return "file message version \(version) is not supported (this worker reads "
        + "\(FileMessage.supportedMajorVersion).x); upgrade the worker"
    case .malformed(let reason): return "malformed file message: \(reason)"
    }
  }
}
