import Foundation
import LedgerPages
import Logging
import Prometheus
import StatusServer
import Store
import Worker

/// What a worker answers on `--http-port` besides the ledger pages: `/livez`, `/readyz` and
/// `/metrics`.
struct WorkerEndpoints: Sendable {
  let worker: FleetWorker
  let metrics: PrometheusCollectorRegistry
  let database: DatabaseLocation
  let staleness: Staleness

  typealias Response = StatusResponse

  /// The HTTP service: these three routes plus the ledger pages of the worker's database.
  func server(host: String, port: Int, logger: Logger) -> StatusServer {
    let location = database
    let site = LedgerSite(
      databaseDescription: location.redactedDescription, staleness: staleness
    ) {
      try DatabaseConnector.open(location)
    }
    return StatusServer(
      host: host, port: port, logger: logger, site: site,
      routes: [
        "/livez": { livez() }, "/readyz": { readyz() }, "/metrics": { metricsText() },
      ])
  }

  static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

  /// 200 `ok` while the consume loop turns; 503 with the reason otherwise.
  func livez() -> Response {
    Self.probe(worker.health.liveness())
  }

  /// 200 once migrated, joined and not stopping; 503 with the reasons otherwise. Parked
  /// partitions are listed after the first line either way (they do not make a worker unready).
  func readyz() -> Response {
    Self.probe(worker.health.readiness())
  }

  /// The registry's metrics with their help text, then the build and process metrics.
  func metricsText() -> Response {
    var buffer: [UInt8] = []
    metrics.emit(into: &buffer)
    let body = MetricsExposition.body(
      registryText: String(decoding: buffer, as: UTF8.self), version: LMSDSVersion.current)
    return Response(status: 200, contentType: Self.prometheusContentType, body: body)
  }

  private static func probe(_ report: FleetHealth.Report) -> Response {
    let lines = (report.isHealthy ? ["ok"] : report.problems) + report.notes
    return Response(
      status: report.isHealthy ? 200 : 503, contentType: "text/plain; charset=utf-8",
      body: lines.joined(separator: "\n") + "\n")
  }
}
