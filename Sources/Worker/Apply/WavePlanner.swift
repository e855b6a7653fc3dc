import Messages
import Store

/// Splits an ordered batch into waves that a set-based merge applies one statement set at a time.
///
/// Files of one provider are applied in one total order (load-semantics §3), but two files of the
/// same resource in different scopes touch disjoint rows and commute: they may share a wave. So a
/// file goes to the first wave of its resource that comes after every earlier file of its provider
/// it does not commute with (another resource, or the same scope) and holds none of its scope.
/// Files of different providers never share rows (§1) and are placed independently. Every pair
/// that does not commute thus keeps its order, which is all the result depends on.
public struct WavePlanner: Sendable {
  public init() {}

  /// The waves, in the order to run them; each lists indices into `files`, in batch order.
  public func plan(_ files: [FileToApply]) -> [[Int]] {
    var waves: [(resource: ResourceKind, scopes: Set<ScopeID>, members: [Int])] = []
    var placed: [ProviderName: PlacedFiles] = [:]
    for (index, file) in files.enumerated() {
      let resource = file.location.resource
      let scope = ScopeID(
        provider: file.provider, resource: resource, scopeKey: file.location.scopeKey)
      let lowest = placed[file.provider]?.firstWaveAllowed(for: scope) ?? 0
      var chosen = waves.count
      for candidate in lowest..<waves.count
      where waves[candidate].resource == resource && !waves[candidate].scopes.contains(scope) {
        chosen = candidate
        break
      }
      if chosen == waves.count { waves.append((resource, [], [])) }
      waves[chosen].scopes.insert(scope)
      waves[chosen].members.append(index)
      placed[file.provider, default: PlacedFiles()].record(scope, wave: chosen)
    }
    return waves.map(\.members)
  }
}

/// Where one provider's files went so far, kept as the latest wave per resource and per scope:
/// all a later file's place depends on, so placing a batch takes linear time, not quadratic.
private struct PlacedFiles {
  var latestWaveOfResource: [ResourceKind: Int] = [:]
  var latestWaveOfScope: [ScopeID: Int] = [:]

  /// The first wave after every earlier file that does not commute with a file of `scope`: any
  /// file of another resource, and the scope's own files.
  func firstWaveAllowed(for scope: ScopeID) -> Int {
    var lowest = latestWaveOfScope[scope].map { $0 + 1 } ?? 0
    for (resource, wave) in latestWaveOfResource where resource != scope.resource {
      lowest = max(lowest, wave + 1)
    }
    return lowest
  }

  mutating func record(_ scope: ScopeID, wave: Int) {
    latestWaveOfResource[scope.resource] = max(latestWaveOfResource[scope.resource] ?? 0, wave)
    latestWaveOfScope[scope] = max(latestWaveOfScope[scope] ?? 0, wave)
  }
}
