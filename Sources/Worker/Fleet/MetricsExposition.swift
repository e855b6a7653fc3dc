/// The `/metrics` body of a worker: what the registry emitted, with help text added, then the
/// build-info and process metrics. One function, so the test lints exactly what is served.
public enum MetricsExposition {
  public static func body(registryText: String, version: String) -> String {
    var body = MetricsHelp.annotate(registryText, help: FleetMetrics.help)
    if !body.isEmpty, !body.hasSuffix("\n") { body += "\n" }
    return body + BuildInfoMetric.text(version: version) + ProcessMetrics.text()
  }
}
