import Hummingbird
import LedgerPages
import Logging
import ServiceLifecycle

/// The HTTP endpoint of `lmsds serve` and `lmsds work`: the ledger pages, `GET /livez`, and any
/// exact-path GET routes its owner adds (readiness, metrics). A `Service`: run it in a service
/// group, which stops it gracefully on shutdown.
///
/// Port 0 binds a free port; the one bound is logged (`listening on http://HOST:PORT`) and passed
/// to `onListening`.
public struct StatusServer: Service {
  private let host: String
  private let port: Int
  private let logger: Logger
  private let responder: StatusResponder
  private let onListening: @Sendable (Int) async -> Void

  public init(
    host: String, port: Int, logger: Logger, site: LedgerSite?,
    routes: [String: @Sendable () async -> StatusResponse] = [:],
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
  ) {
    self.host = host
    self.port = port
    self.logger = logger
    self.responder = StatusResponder(routes: routes, site: site)
    self.onListening = onListening
  }

  public func run() async throws {
    let host = host
    let logger = logger
    let onListening = onListening
    // Hummingbird's own lines (one per request at debug) go to a quieter copy of the logger.
    var serverLogger = logger
    serverLogger.logLevel = max(logger.logLevel, .notice)
    let application = Application(
      responder: responder,
      configuration: ApplicationConfiguration(
        address: .hostname(host, port: port), serverName: nil),
      onServerRunning: { channel in
        let bound = channel.localAddress?.port ?? 0
        logger.info(
          "listening on http://\(Self.urlHost(host)):\(bound)",
          metadata: ["host": "\(host)", "port": "\(bound)"])
        await onListening(bound)
      },
      logger: serverLogger)
    try await application.run()
  }

  /// An IPv6 literal goes in brackets inside a URL.
  static func urlHost(_ host: String) -> String { host.contains(":") ? "[\(host)]" : host }
}
