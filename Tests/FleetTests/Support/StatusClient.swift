import Foundation
import LMSDSTestSupport

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Reads a worker's HTTP endpoint: finds the port it logged, and GETs paths from it.
struct StatusClient {
  let baseURL: String

  /// Waits for the `listening on http://HOST:PORT` line in the process's log.
  static func discover(_ process: LmsdsProcess, timeout: Duration = .seconds(60)) throws
    -> StatusClient
  {
    var found: String?
    _ = try eventually(timeout: timeout) {
      let log = process.log
      guard
        let range = log.range(
          of: #"listening on http://[0-9.]+:[0-9]+"#, options: .regularExpression)
      else { return false }
      found = String(log[range].dropFirst("listening on ".count))
      return true
    }
    guard let found else {
      throw TestFailure("\(process.name) never logged its HTTP port: \(process.log)")
    }
    return StatusClient(baseURL: found)
  }

  /// Status and body; a connection failure is an error.
  func get(_ path: String) async throws -> (status: Int, body: String) {
    var request = URLRequest(url: URL(string: baseURL + path)!)
    request.timeoutInterval = 10
    let (data, response) = try await URLSession.shared.data(for: request)
    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
    return (status, String(decoding: data, as: UTF8.self))
  }

  /// The sum of a metric's series whose labels include `labels` (0 when there is none).
  func metric(_ name: String, _ labels: [String: String] = [:]) async throws -> Double {
    let (_, body) = try await get("/metrics")
    var total = 0.0
    for line in body.split(separator: "\n") where !line.hasPrefix("#") {
      guard let space = line.lastIndex(of: " "),
        let value = Double(line[line.index(after: space)...])
      else { continue }
      let series = line[..<space]
      let seriesName = series.prefix { $0 != "{" }
      guard seriesName == name else { continue }
      let matches = labels.allSatisfy { series.contains("\($0.key)=\"\($0.value)\"") }
      if matches { total += value }
    }
    return total
  }
}
