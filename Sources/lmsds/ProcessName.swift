import Foundation

/// How this process signs what it records in the ledger (`AppliedBy`): host and process id, plus
/// the command's role where one host runs several kinds of lmsds process.
enum ProcessName {
  static func current(role: String? = nil) -> String {
    let name = "\(ProcessInfo.processInfo.hostName)/\(ProcessInfo.processInfo.processIdentifier)"
    return role.map { "\(name) \($0)" } ?? name
  }
}
