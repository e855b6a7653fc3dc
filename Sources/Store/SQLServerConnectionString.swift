/// Builds the ODBC connection string for a SQL Server from its options.
///
/// The driver defaults to Microsoft's ODBC Driver 18 (the one Microsoft ships for Debian); FreeTDS
/// is chosen by `driver=FreeTDS`, whose keywords differ (no `Encrypt`, a `Port`).
public enum SQLServerConnectionString {
  public static let defaultDriver = "ODBC Driver 18 for SQL Server"

  public static func make(_ options: SQLServerOptions) -> String {
    let driver = options.driver ?? defaultDriver
    let freeTDS = driver.lowercased().contains("freetds")
    var pairs: [(String, String)] = [("Driver", "{\(driver)}")]
    if freeTDS {
      pairs += [("Server", options.host), ("Port", String(options.port)), ("TDS_Version", "7.4")]
    } else {
      pairs.append(("Server", "tcp:\(options.host),\(options.port)"))
    }
    if let database = options.database { pairs.append(("Database", database)) }
    if options.integratedSecurity {
      pairs.append(("Trusted_Connection", "yes"))
    } else {
      if let user = options.user { pairs.append(("UID", user)) }
      if let password = options.password { pairs.append(("PWD", braced(password))) }
    }
    if !freeTDS {
      if let encrypt = options.encrypt { pairs.append(("Encrypt", encrypt ? "yes" : "no")) }
      if let trust = options.trustServerCertificate {
        pairs.append(("TrustServerCertificate", trust ? "yes" : "no"))
      }
    }
    pairs += options.extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    pairs.append(("APP", "lmsds"))
    return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: ";") + ";"
  }

  /// ODBC values holding `;`, `{`, `}` or spaces at the ends must be braced, with `}` doubled.
  static func braced(_ value: String) -> String {
    let needsBraces =
      value.contains(";") || value.contains("{") || value.contains("}")
      || value.first == " " || value.last == " "
    guard needsBraces else { return value }
    return "{" + value.replacingOccurrences(of: "}", with: "}}") + "}"
  }
}
