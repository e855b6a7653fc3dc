import Messages
import Store
import UDM

/// How a file's header maps onto its resource: which CSV column feeds which staged column.
struct HeaderPlan {
  struct DataField {
    let spec: ColumnSpec
    let index: Int
  }
  struct ParentField {
    let spec: ParentSpec
    /// nil when an optional parent's column is absent: staged as NULL.
    let index: Int?
  }

  let resource: ResourceSpec
  let headerCount: Int
  let data: [DataField]
  let parents: [ParentField]
  let submissionTypeIndex: Int?

  var sourceSystemIdentifierIndex: Int { data[0].index }
  var sourceSystemIndex: Int { data[1].index }

  let layout: StagingLayout

  /// The layout of a file with no header at all (an empty snapshot): every column.
  static func fullLayout(_ resource: ResourceSpec) -> StagingLayout {
    StagingLayout(
      resource: resource.kind, dataColumns: resource.columns, parents: resource.parents,
      carriesSubmissionTypes: false)
  }

  /// Matches header names exactly (after the BOM the reader drops); rejects repeats and missing
  /// required columns.
  init(header: [String], resource: ResourceSpec) throws {
    var positions: [String: Int] = [:]
    for (index, name) in header.enumerated() {
      if let earlier = positions[name] {
        throw FileRejection(
          "line 1, column \(index + 1): header name '\(name)' repeats (first at column \(earlier + 1))"
        )
      }
      positions[name] = index
    }
    func position(_ name: String, _ aliases: [String]) -> Int? {
      positions[name] ?? aliases.lazy.compactMap { positions[$0] }.first
    }
    var missing: [String] = []
    var data: [DataField] = []
    for column in resource.columns {
      if let index = position(column.name, column.aliases) {
        data.append(DataField(spec: column, index: index))
      } else if column.required {
        missing.append(column.name)
      }
    }
    var parents: [ParentField] = []
    for parent in resource.parents {
      let index = position(parent.csvColumn, parent.aliases)
      if index == nil && parent.required { missing.append(parent.csvColumn) }
      // An attendance event's section is NULL when its column is absent (load-semantics §7), so the
      // optional parent is staged either way.
      if index != nil || !parent.required {
        parents.append(ParentField(spec: parent, index: index))
      }
    }
    guard missing.isEmpty else {
      throw FileRejection(
        "line 1: required column\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")) missing from the header"
      )
    }
    self.resource = resource
    self.headerCount = header.count
    self.data = data
    self.parents = parents
    self.submissionTypeIndex =
      resource.hasSubmissionTypes ? positions[ResourceSpec.submissionTypeColumn] : nil
    self.layout = StagingLayout(
      resource: resource.kind, dataColumns: data.map(\.spec), parents: parents.map(\.spec),
      carriesSubmissionTypes: submissionTypeIndex != nil)
  }
}
