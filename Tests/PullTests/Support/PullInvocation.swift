import Foundation
import LMSDSTestSupport

extension SSHServer {
  /// `lmsds pull --from <url of remote> --to landing` with this server's key and known hosts,
  /// unless `arguments` brings its own.
  func pull(
    _ remote: String, to landing: String, in scratch: ScratchDirectory, _ arguments: [String] = [],
    environment: [String: String] = [:]
  ) throws -> LmsdsRun {
    var all = ["pull", "--from", url(remote), "--to", landing]
    if !arguments.contains(where: {
      ["--identity-file", "--password-env", "--password-file"].contains($0)
    }) {
      all += ["--identity-file", identity]
    }
    if !arguments.contains("--known-hosts") { all += ["--known-hosts", knownHosts] }
    return try LmsdsRun.run(all + arguments, in: scratch.path, environment: environment)
  }
}

/// The numbers of the summary line `pull: N pulled (B bytes), N already there, N left to settle,
/// N unrecognised, …`, keyed by what they count.
func summaryCounts(_ output: String) -> [String: Int] {
  guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("pull: ") }) else {
    return [:]
  }
  var counts: [String: Int] = [:]
  let patterns = [
    "pulled": #"(\d+) pulled"#, "bytes": #"\((\d+) bytes\)"#, "already": #"(\d+) already there"#,
    "settle": #"(\d+) left to settle"#, "unrecognised": #"(\d+) unrecognised"#,
  ]
  for (key, pattern) in patterns {
    if let match = line.range(of: pattern, options: .regularExpression) {
      let digits = line[match].filter(\.isNumber)
      counts[key] = Int(digits)
    }
  }
  return counts
}
