import Foundation

/// A line on standard error every two seconds while a long run goes on.
struct ProgressLine {
  let total: Int?
  private var done = 0
  private var rows = 0
  private var last = Date()
  private var shown = false

  init(total: Int?) { self.total = total }

  mutating func advance(rows: Int) {
    done += 1
    self.rows += rows
    if Date().timeIntervalSince(last) >= 2 {
      last = Date()
      shown = true
      FileHandle.standardError.write(
        Data(
          "lmsds: \(done)\(total.map { " of \($0)" } ?? "") files applied, \(self.rows) rows read\n"
            .utf8))
    }
  }

  func finish() {
    if shown {
      FileHandle.standardError.write(
        Data(
          "lmsds: \(done)\(total.map { " of \($0)" } ?? "") files applied, \(rows) rows read\n".utf8
        ))
    }
  }
}
