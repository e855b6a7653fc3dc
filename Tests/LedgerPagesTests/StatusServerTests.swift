import Foundation
import Logging
import ServiceLifecycle
import StatusServer
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The server without a ledger: the routes its owner adds, /livez, and what it refuses.
@Suite struct StatusServerTests {
  @Test func servesAddedRoutesLivezAndNothingElse() async throws {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
    let server = StatusServer(
      host: "127.0.0.1", port: 0, logger: logger, site: nil,
      routes: [
        "/readyz": { StatusResponse(status: 503, body: "not ready: database\n") },
        "/metrics": { StatusResponse(contentType: "text/plain; version=0.0.4", body: "up 1\n") },
      ],
      onListening: { portSink.yield($0) })
    let group = ServiceGroup(services: [server], logger: logger)
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      tasks.addTask { try await group.run() }
      var iterator = ports.makeAsyncIterator()
      let port = try #require(await iterator.next())
      #expect(port > 0)
      let base = "http://127.0.0.1:\(port)"

      let ready = try await Self.get(base + "/readyz")
      #expect(ready.status == 503 && ready.body == "not ready: database\n")
      let metrics = try await Self.get(base + "/metrics")
      #expect(metrics.status == 200 && metrics.contentType == "text/plain; version=0.0.4")
      #expect(metrics.body == "up 1\n")
      let live = try await Self.get(base + "/livez")
      #expect(live.status == 200 && live.body == "ok\n")
      // No site: the ledger addresses are not there.
      #expect(try await Self.get(base + "/").status == 404)
      #expect(try await Self.get(base + "/files/1").status == 404)
      #expect(try await Self.get(base + "/livez", method: "POST").status == 405)

      await group.triggerGracefulShutdown()
      try await tasks.waitForAll()
    }
  }

  static func get(_ url: String, method: String = "GET") async throws -> (
    status: Int, contentType: String?, body: String
  ) {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = try #require(response as? HTTPURLResponse)
    return (
      http.statusCode, http.value(forHTTPHeaderField: "Content-Type"),
      String(decoding: data, as: UTF8.self)
    )
  }
}
