/// Which remote names may become local ones. A name from a server lands on our disk, so one that
/// could climb out of the landing directory (`..`, a `/`) or hide as a dot file is never used.
enum PullNames {
  static func isProviderName(_ name: String) -> Bool {
    isSafeComponent(name) && !name.hasPrefix(".")
  }

  static func isSafeComponent(_ name: String) -> Bool {
    !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
  }
}
