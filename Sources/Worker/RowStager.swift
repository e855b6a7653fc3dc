import CSV
import Messages
import Store
import UDM

/// Reads one CSV file, validates each row (load-semantics §5) and streams it into staging.
///
/// The hot loop works on the reader's bytes: no String is built per field, and a row is validated
/// completely before any of it is written, since an invalid row is staged with its key only.
struct RowStager {
  let location: ResourceLocation
  let spec: ResourceSpec
  let reportLimit: Int

  /// One validated field, waiting to be written.
  private enum Parsed {
    case null
    case text(index: Int, keepBytes: Int?)
    case integer(Int64)
    case timestamp(LMSTimestamp)
    case date(LMSDate)
  }

  /// Reads the header; returns nil for a file without one. With `plans`, a header seen before
  /// takes the plan built then.
  func readHeader(_ reader: CSVReader, plans: HeaderPlans? = nil) throws -> HeaderPlan? {
    while try reader.next() {
      if reader.isBlank { continue }
      let names = (0..<reader.fieldCount).map { reader.field($0) }
      if let plans { return try plans.plan(header: names, resource: spec) }
      return try HeaderPlan(header: names, resource: spec)
    }
    return nil
  }

  /// Stages every data row after the header through `writer`; with `fileNumber`, each row starts
  /// with it (a wave's shared stage). With `invalidKeys`, the writer fills the target table itself
  /// (a first load of an empty scope): only valid rows are written, with their data columns only,
  /// and an invalid row leaves its key there instead; each parent is written as the identity
  /// `parentIdentity` gives for its slot and key, and a parent it does not know stops the fill
  /// (`ParentNotFound`: the row is an orphan, which the staged merge reports). With `keys` (and
  /// `fileNumber`), every staged key is noted there too.
  func stageRows(
    _ reader: CSVReader, plan: HeaderPlan, writer: any BulkRowWriter, into staged: inout StagedFile,
    fileNumber: Int64? = nil, invalidKeys: InvalidRowKeys? = nil,
    parentIdentity: ((_ slot: Int, _ key: UnsafeRawBufferPointer) -> Int64?)? = nil,
    keys: StagedKeys? = nil
  ) throws {
    var parsed = [Parsed](repeating: .null, count: plan.data.count)
    var parentsValid = [Bool](repeating: false, count: plan.parents.count)
    var parentIdentities = [Int64?](repeating: nil, count: plan.parents.count)
    // Per parent slot, the id its value must equal: the directory's, where the parent names it.
    let directoryIDs = plan.parents.map { parent in
      parent.spec.mustMatchDirectory.flatMap { location.id(of: $0) }.map { Array($0.utf8) }
    }
    var sourceSystem: [UInt8]? = nil
    var sourceSystemLine = 0

    while try reader.next() {
      if reader.isBlank { continue }
      staged.rowsRead += 1
      let line = reader.line
      let fieldCount = reader.fieldCount
      var problem: String? = nil
      var roundedInRow = 0

      // One SourceSystem per file, read from every row that has one, valid or not.
      if plan.sourceSystemIndex < fieldCount {
        try reader.withField(plan.sourceSystemIndex) { bytes in
          guard bytes.count > 0 else { return }
          if let known = sourceSystem {
            if !known.elementsEqual(bytes) {
              throw FileRejection(
                "line \(line), column SourceSystem: '\(String(decoding: bytes, as: UTF8.self))' differs from '\(String(decoding: known, as: UTF8.self))' (line \(sourceSystemLine)); a file holds one SourceSystem"
              )
            }
          } else {
            sourceSystem = Array(bytes)
            sourceSystemLine = line
          }
        }
      }

      if fieldCount != plan.headerCount {
        problem = "line \(line): \(fieldCount) fields where the header has \(plan.headerCount)"
      } else {
        for (slot, field) in plan.data.enumerated() {
          let outcome = reader.withField(field.index) { bytes in
            Self.parse(bytes, as: field.spec, index: field.index)
          }
          switch outcome {
          case .success(let value, let rounded):
            parsed[slot] = value
            if rounded { roundedInRow += 1 }
          case .failure(let why):
            problem = "line \(line), column \(field.spec.name): \(why)"
          }
          if problem != nil { break }
        }
        if problem == nil {
          for (slot, parent) in plan.parents.enumerated() {
            guard let index = parent.index else {
              parentsValid[slot] = false
              continue
            }
            let check: String? = reader.withField(index) { bytes in
              if bytes.count == 0 {
                return parent.spec.required ? "a required value is empty" : nil
              }
              if TextLength.utf16Count(bytes) > 255 { return "longer than 255 characters" }
              if let expected = directoryIDs[slot], !expected.elementsEqual(bytes) {
                let kind = parent.spec.mustMatchDirectory == .section ? "section" : "assignment"
                return
                  "'\(String(decoding: bytes, as: UTF8.self))' is another \(kind) than the directory's (\(String(decoding: expected, as: UTF8.self)))"
              }
              return nil
            }
            if let check {
              problem = "line \(line), column \(parent.spec.csvColumn): \(check)"
              break
            }
            parentsValid[slot] = reader.withField(index) { $0.count > 0 }
          }
        }
        if problem == nil, let typesIndex = plan.submissionTypeIndex {
          let text = reader.field(typesIndex)
          if let types = SubmissionTypeList.parse(text) {
            if let long = types.first(where: {
              $0.utf16.count > ResourceSpec.submissionTypeMaxLength
            }) {
              problem =
                "line \(line), column SubmissionType: '\(long)' is longer than \(ResourceSpec.submissionTypeMaxLength) characters"
            } else {
              let key = reader.field(plan.sourceSystemIdentifierIndex)
              staged.submissionTypes += types.map { (key, $0) }
            }
          } else {
            problem =
              "line \(line), column SubmissionType: '\(text)' is not a list of submission types"
          }
        }
      }

      if let invalidKeys {
        if let problem {
          staged.invalid += 1
          if staged.problems.count < reportLimit { staged.problems.append(problem) }
          if let key = plan.data.first, key.index < fieldCount {
            reader.withField(key.index) { bytes in
              if bytes.count > 0 { invalidKeys.insert(bytes) }
            }
          }
          continue
        }
        for (slot, parent) in plan.parents.enumerated() {
          guard parentsValid[slot], let index = parent.index else {
            parentIdentities[slot] = nil
            continue
          }
          guard
            let identity = reader.withField(index, { key in parentIdentity?(slot, key) })
          else { throw ParentNotFound() }
          parentIdentities[slot] = identity
        }
        staged.rounded += roundedInRow
        for value in parsed { write(value, to: writer, from: reader) }
        for identity in parentIdentities {
          if let identity { writer.append(identity) } else { writer.appendNull() }
        }
        try writer.endRow()
        continue
      }

      if let fileNumber { writer.append(fileNumber) }
      writer.append(Int64(line))
      if let problem {
        staged.invalid += 1
        if staged.problems.count < reportLimit { staged.problems.append(problem) }
        writer.append(Int64(0))
        // An invalid row still protects its key from the soft-delete step.
        for (slot, field) in plan.data.enumerated() {
          if slot == 0, field.index < fieldCount {
            reader.withField(field.index) { bytes in
              if bytes.count > 0 { writer.append(utf8: bytes) } else { writer.appendNull() }
              if let keys, let fileNumber { keys.insert(bytes, fileNumber: fileNumber) }
            }
          } else {
            writer.appendNull()
          }
        }
        for _ in plan.parents { writer.appendNull() }
      } else {
        if let keys, let fileNumber, let key = plan.data.first {
          reader.withField(key.index) { keys.insert($0, fileNumber: fileNumber) }
        }
        staged.rounded += roundedInRow
        writer.append(Int64(1))
        for value in parsed { write(value, to: writer, from: reader) }
        for (slot, parent) in plan.parents.enumerated() {
          if parentsValid[slot], let index = parent.index {
            reader.withField(index) { writer.append(utf8: $0) }
          } else {
            writer.appendNull()
          }
        }
      }
      try writer.endRow()
    }
    staged.sourceSystem = sourceSystem.map { String(decoding: $0, as: UTF8.self) }
    staged.sourceSystemLine = sourceSystemLine
  }

  @inline(__always)
  private func write(_ value: Parsed, to writer: any BulkRowWriter, from reader: CSVReader) {
    switch value {
    case .null: writer.appendNull()
    case .integer(let number): writer.append(number)
    case .timestamp(let time): writer.append(time)
    case .date(let date): writer.append(date)
    case .text(let index, let keep):
      reader.withField(index) { bytes in
        if let keep {
          writer.append(utf8: UnsafeRawBufferPointer(rebasing: bytes[0..<keep]))
        } else {
          writer.append(utf8: bytes)
        }
      }
    }
  }

  private enum FieldOutcome {
    case success(Parsed, rounded: Bool)
    case failure(String)
  }

  private static func parse(_ bytes: UnsafeRawBufferPointer, as column: ColumnSpec, index: Int)
    -> FieldOutcome
  {
    if bytes.count == 0 {
      return column.required
        ? .failure("a required value is empty") : .success(.null, rounded: false)
    }
    switch column.type {
    case .text(let maxLength):
      let length = TextLength.utf16Count(bytes)
      if length <= maxLength {
        return .success(.text(index: index, keepBytes: nil), rounded: false)
      }
      if column.truncates {
        let keep = TextLength.utf8PrefixLength(bytes, maxUTF16Units: maxLength)
        return .success(.text(index: index, keepBytes: keep), rounded: false)
      }
      return .failure("value is \(length) characters long, more than \(maxLength)")
    case .timestamp:
      guard let time = LMSTimestamp(parsing: bytes) else {
        return .failure("'\(quoted(bytes))' is not a timestamp")
      }
      return .success(.timestamp(time), rounded: false)
    case .date:
      guard let date = LMSDate(parsing: bytes) else {
        return .failure("'\(quoted(bytes))' is not a date")
      }
      return .success(.date(date), rounded: false)
    case .integer:
      switch IntegerValue(parsing: bytes) {
      case .value(let number, let rounded):
        return .success(.integer(Int64(number)), rounded: rounded)
      case .malformed: return .failure("'\(quoted(bytes))' is not an integer")
      case .outOfRange: return .failure("'\(quoted(bytes))' is outside the 32-bit integer range")
      }
    }
  }

  private static func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
    let text = String(decoding: bytes, as: UTF8.self)
    return text.count > 80 ? String(text.prefix(80)) + "…" : text
  }
}

/// A valid row of a direct fill names a parent that is not stored: an orphan, which only the
/// staged merge counts and reports.
struct ParentNotFound: Error {}
