import Messages
import UDM

/// The columns one file carries: what is staged, compared and written for it.
///
/// A column the header lacks keeps its stored value (load-semantics §6.2), so every statement that
/// writes the target table is built from this, never from the resource's full column list.
public struct StagingLayout: Hashable, Sendable {
  public let resource: ResourceKind
  /// Data columns the header carries, `SourceSystemIdentifier` and `SourceSystem` first.
  public let dataColumns: [ColumnSpec]
  /// Parent references the header carries.
  public let parents: [ParentSpec]
  /// Assignments whose header has `SubmissionType`.
  public let carriesSubmissionTypes: Bool

  public init(
    resource: ResourceKind, dataColumns: [ColumnSpec], parents: [ParentSpec],
    carriesSubmissionTypes: Bool
  ) {
    self.resource = resource
    self.dataColumns = dataColumns
    self.parents = parents
    self.carriesSubmissionTypes = carriesSubmissionTypes
  }

  public var spec: ResourceSpec { ResourceSpec.spec(for: resource) }

  /// The parent the file's directory names, where the file's scope is that parent (a submission's
  /// assignment, an association's section): every valid row of the file names that one.
  public var directoryParent: ParentSpec? {
    let directory: ParentSpec.DirectoryID
    switch resource.scopeKind {
    case .section: directory = .section
    case .assignment: directory = .assignment
    case .provider, .incremental: return nil
    }
    return parents.first { $0.mustMatchDirectory == directory }
  }
}
