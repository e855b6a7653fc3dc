import Foundation

/// The `--remotes` file: one JSON object per provider (docs in README, "lmsds pull").
///
///     { "remotes": [
///         { "provider": "canvas", "url": "sftp://lms@sftp.example.org/exports/canvas",
///           "identityFile": "keys/canvas", "knownHosts": "known_hosts" },
///         { "url": "sftp://lms@other.example.org:2222/out",
///           "passwordEnvironment": "OTHER_SFTP_PASSWORD" } ] }
///
/// Exactly one of `identityFile`, `passwordEnvironment`, `passwordFile` per entry; relative paths
/// are taken from the file's own directory, so the file and its keys can move together.
public enum RemotesFile {
  private struct Document: Decodable {
    let remotes: [Entry]
  }

  private struct Entry: Decodable {
    let provider: String?
    let url: String
    let identityFile: String?
    let passwordEnvironment: String?
    let passwordFile: String?
    let knownHosts: String?
  }

  /// The entries of `path`; `defaultKnownHosts` for entries that name no known-hosts file.
  public static func read(_ path: String, defaultKnownHosts: String) throws(PullError)
    -> [RemoteSource]
  {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .badRemotesFile(path: path, reason: "cannot read it")
    }
    let document: Document
    do {
      document = try JSONDecoder().decode(Document.self, from: data)
    } catch {
      throw .badRemotesFile(path: path, reason: "not the expected JSON: \(error)")
    }
    let base = URL(fileURLWithPath: path).deletingLastPathComponent()
    func resolved(_ file: String) -> String {
      file.hasPrefix("/") ? file : base.appendingPathComponent(file).standardizedFileURL.path
    }
    var sources: [RemoteSource] = []
    var providers: Set<String> = []
    for (index, entry) in document.remotes.enumerated() {
      let label = "entry \(index + 1)"
      let location: SFTPLocation
      do {
        location = try SFTPLocation(url: entry.url)
      } catch {
        throw .badRemotesFile(path: path, reason: "\(label): \(error)")
      }
      let secrets: [SecretSource] = [
        entry.identityFile.map { .identityFile(resolved($0)) },
        entry.passwordEnvironment.map { .passwordEnvironment($0) },
        entry.passwordFile.map { .passwordFile(resolved($0)) },
      ].compactMap { $0 }
      guard secrets.count == 1, let secret = secrets.first else {
        throw .badRemotesFile(
          path: path,
          reason: "\(label): give exactly one of identityFile, passwordEnvironment, passwordFile")
      }
      if let provider = entry.provider {
        guard PullNames.isProviderName(provider) else {
          throw .badRemotesFile(path: path, reason: "\(label): \(provider) is not a directory name")
        }
        guard providers.insert(provider).inserted else {
          throw .badRemotesFile(path: path, reason: "\(label): provider \(provider) appears twice")
        }
      }
      sources.append(
        RemoteSource(
          location: location, provider: entry.provider, secret: secret,
          knownHosts: entry.knownHosts.map(resolved) ?? defaultKnownHosts))
    }
    guard !sources.isEmpty else { throw .badRemotesFile(path: path, reason: "it lists no remote") }
    return sources
  }
}
