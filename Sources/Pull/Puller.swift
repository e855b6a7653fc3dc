import Foundation
import Messages
import SFTP

/// Mirrors settled, recognised extractor files from SFTP servers into a landing directory that is
/// an ordinary `--sources` root: `<landing>/<provider>/<path as on the server>`.
///
/// Remotes are pulled one after another; one that fails (unreachable, login refused, a broken
/// connection) is recorded in the summary and the next one still runs. Nothing is ever deleted,
/// on either side.
public struct Puller {
  public let landing: String
  public let options: PullOptions

  public init(landing: String, options: PullOptions) {
    self.landing = landing
    self.options = options
  }

  public func pull(_ sources: [RemoteSource]) -> PullSummary {
    let started = Date()
    var summary = PullSummary()
    for source in sources {
      do {
        try pull(source, into: &summary)
      } catch {
        summary.failures.append("\(source.location): \(error)")
      }
    }
    summary.seconds = Date().timeIntervalSince(started)
    return summary
  }

  private func pull(_ source: RemoteSource, into summary: inout PullSummary) throws {
    let credential = try source.secret.credential()
    let session = try SFTPSession(
      endpoint: source.location.endpoint, credential: credential,
      knownHosts: KnownHostsPolicy(path: source.knownHosts, acceptNew: options.acceptNewHostKeys),
      timeoutSeconds: options.timeoutSeconds)
    defer { session.close() }

    var roots: [(provider: String, path: String)] = []
    if let provider = source.provider {
      roots.append((provider, source.location.path))
    } else {
      for entry in try session.list(source.location.path).sorted(by: { $0.name < $1.name })
      where entry.kind == .directory && PullNames.isProviderName(entry.name) {
        roots.append((entry.name, Self.join(source.location.path, entry.name)))
      }
    }
    for root in roots {
      let files = try walk(session, root.path, relative: "", depth: 0)
      let target = LandingDirectory(root: landing + "/" + root.provider)
      for (relative, entry) in files {
        do {
          try take(
            entry, at: relative, provider: root.provider, remoteRoot: root.path,
            session: session, target: target, into: &summary)
        } catch SFTPError.request(let server, let operation, let path, let reason) {
          // One unreadable file (permissions, removed meanwhile) does not stop the others.
          summary.failures.append(
            "\(source.location.endpoint.description): \(SFTPError.request(server: server, operation: operation, path: path, reason: reason))"
          )
        }
      }
    }
  }

  /// Files under `directory`, as (path relative to the provider root, attributes). Only as deep as
  /// a recognised file can sit (load-semantics §2: three directories); links are never followed.
  private func walk(
    _ session: SFTPSession, _ directory: String, relative: String, depth: Int
  ) throws -> [(String, RemoteEntry)] {
    var found: [(String, RemoteEntry)] = []
    for entry in try session.list(directory).sorted(by: { $0.name < $1.name }) {
      guard PullNames.isSafeComponent(entry.name) else { continue }
      let path = relative.isEmpty ? entry.name : relative + "/" + entry.name
      switch entry.kind {
      case .directory where depth < 3:
        found += try walk(
          session, Self.join(directory, entry.name), relative: path, depth: depth + 1)
      case .file:
        found.append((path, entry))
      default:
        continue
      }
    }
    return found
  }

  private func take(
    _ entry: RemoteEntry, at relative: String, provider: String, remoteRoot: String,
    session: SFTPSession, target: LandingDirectory, into summary: inout PullSummary
  ) throws {
    guard ResourceLocation(relativePath: relative) != nil else {
      summary.unrecognised.append(provider + "/" + relative)
      return
    }
    let age = Date().timeIntervalSince1970 - Double(entry.modificationTime)
    if age < options.settleSeconds {
      summary.leftToSettle += 1
      return
    }
    if target.state(of: relative, size: entry.size, modificationTime: entry.modificationTime)
      == .current
    {
      summary.alreadyThere += 1
      return
    }
    var bytes: UInt64 = 0
    let landed = try target.land(relative) { handle in
      let result = try session.read(Self.join(remoteRoot, relative)) { chunk in
        try handle.write(contentsOf: Data(chunk))
      }
      bytes = result.bytesRead
      // Still being written: the size or time moved while we read, or we read a different size.
      let unchanged =
        result.bytesRead == entry.size && result.after.size == entry.size
        && result.after.modificationTime == entry.modificationTime
      return unchanged ? entry.modificationTime : nil
    }
    if landed {
      summary.pulled += 1
      summary.bytes += bytes
    } else {
      summary.leftToSettle += 1
    }
  }

  private static func join(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }
}
