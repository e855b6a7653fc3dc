/// Where libpq delivers server notices; without a handler they are dropped instead of going to
/// stderr, which would interleave with the tool's own structured logs.
final class LibPQNoticeSink {
  var handler: ((String) -> Void)?
}

func forwardLibPQNotice(_ context: UnsafeMutableRawPointer?, _ message: UnsafePointer<CChar>?) {
  guard let context else { return }
  let sink = Unmanaged<LibPQNoticeSink>.fromOpaque(context).takeUnretainedValue()
  guard let handler = sink.handler else { return }
  handler(LibPQConnection.trimmed(message))
}
