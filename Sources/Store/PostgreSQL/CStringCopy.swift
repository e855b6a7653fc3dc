/// A NUL-terminated copy of a string whose memory the caller controls, so it can be wiped.
struct CStringCopy {
  let pointer: UnsafeMutablePointer<CChar>
  private let count: Int

  init(_ text: String) {
    let bytes = text.utf8CString
    count = bytes.count
    pointer = .allocate(capacity: count)
    bytes.withUnsafeBufferPointer { pointer.initialize(from: $0.baseAddress!, count: count) }
  }

  func release(wiping: Bool = false) {
    if wiping { pointer.update(repeating: 0, count: count) }
    pointer.deallocate()
  }
}
