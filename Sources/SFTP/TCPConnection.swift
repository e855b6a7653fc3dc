#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A connected TCP socket, closed when released. The sockets API stays in here.
final class TCPConnection {
  let descriptor: Int32

  /// Tries each address of `host` in turn, giving each `timeoutSeconds` to accept.
  init(host: String, port: Int, timeoutSeconds: Int32) throws(TCPConnectError) {
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    #if canImport(Glibc)
      hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    #else
      hints.ai_socktype = SOCK_STREAM
    #endif
    var list: UnsafeMutablePointer<addrinfo>?
    let resolved = getaddrinfo(host, String(port), &hints, &list)
    guard resolved == 0, let first = list else {
      throw TCPConnectError(
        reason: "cannot resolve \(host): \(String(cString: gai_strerror(resolved)))")
    }
    defer { freeaddrinfo(first) }
    var lastReason = "no address"
    var cursor: UnsafeMutablePointer<addrinfo>? = first
    while let address = cursor {
      cursor = address.pointee.ai_next
      let socketDescriptor = socket(
        address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
      if socketDescriptor < 0 {
        lastReason = Self.errnoText()
        continue
      }
      if let reason = Self.connect(
        socketDescriptor, address.pointee.ai_addr, address.pointee.ai_addrlen, timeoutSeconds)
      {
        lastReason = reason
        close(socketDescriptor)
        continue
      }
      // SFTP is request/reply in small packets: with Nagle's algorithm each one waits for the
      // peer's delayed ACK (~40 ms), which made a night of small files crawl.
      var noDelay: Int32 = 1
      _ = setsockopt(
        socketDescriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay,
        socklen_t(MemoryLayout<Int32>.size))
      descriptor = socketDescriptor
      return
    }
    throw TCPConnectError(reason: lastReason)
  }

  deinit { close(descriptor) }

  /// A connect bounded in time: non-blocking, then a poll for writability. Nil when connected.
  private static func connect(
    _ descriptor: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t,
    _ timeoutSeconds: Int32
  ) -> String? {
    let flags = fcntl(descriptor, F_GETFL, 0)
    _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
    #if canImport(Glibc)
      let started = Glibc.connect(descriptor, address, length)
    #else
      let started = Darwin.connect(descriptor, address, length)
    #endif
    if started != 0 {
      guard errno == EINPROGRESS else { return errnoText() }
      var waiting = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
      let ready = poll(&waiting, 1, timeoutSeconds * 1000)
      if ready == 0 { return "no answer within \(timeoutSeconds) s" }
      if ready < 0 { return errnoText() }
      var failure: Int32 = 0
      var size = socklen_t(MemoryLayout<Int32>.size)
      getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &failure, &size)
      if failure != 0 { return String(cString: strerror(failure)) }
    }
    // libssh2 runs in blocking mode on this socket.
    _ = fcntl(descriptor, F_SETFL, flags)
    return nil
  }

  private static func errnoText() -> String { String(cString: strerror(errno)) }
}

struct TCPConnectError: Error {
  let reason: String
}
