/// Why a test's own machinery (a process it started, a file it read) failed.
struct TestFailure: Error, CustomStringConvertible {
  let description: String
}
