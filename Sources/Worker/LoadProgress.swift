/// The figures of a load in progress: files committed of the expected total, rows, rates and the
/// time left. Pure (the caller passes the elapsed time), so the figures are testable.
public struct LoadProgress: Sendable, Hashable {
  /// Files the run expects to apply; nil when unknown.
  public let total: Int?
  public private(set) var files = 0
  public private(set) var rows = 0

  public init(total: Int?) { self.total = total }

  /// One file committed, with the rows it read.
  public mutating func add(rows: Int) {
    files += 1
    self.rows += rows
  }

  /// Seconds until the expected total at the rate so far; nil without a total or a rate.
  public func secondsLeft(elapsedSeconds: Double) -> Double? {
    guard let total, files > 0, elapsedSeconds > 0 else { return nil }
    return Double(max(0, total - files)) * elapsedSeconds / Double(files)
  }

  /// `12 of 40 files, 3400 rows, 850 rows/s, elapsed 0:04, about 0:09 left`.
  public func text(elapsedSeconds: Double) -> String {
    var parts = ["\(files)\(total.map { " of \(max($0, files))" } ?? "") files", "\(rows) rows"]
    if elapsedSeconds > 0 {
      parts.append("\(Int((Double(rows) / elapsedSeconds).rounded())) rows/s")
    }
    parts.append("elapsed \(Self.clock(elapsedSeconds))")
    if let left = secondsLeft(elapsedSeconds: elapsedSeconds), let total, files < total {
      parts.append("about \(Self.clock(left)) left")
    }
    return parts.joined(separator: ", ")
  }

  /// `m:ss`, or `h:mm:ss` from an hour on.
  static func clock(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded())
    let (hours, minutes, secs) = (whole / 3600, whole / 60 % 60, whole % 60)
    func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return hours > 0 ? "\(hours):\(two(minutes)):\(two(secs))" : "\(minutes):\(two(secs))"
  }
}
