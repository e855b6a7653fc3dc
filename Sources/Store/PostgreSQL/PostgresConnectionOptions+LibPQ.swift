extension PostgresConnectionOptions {
  /// Keywords the struct's own properties set; the same keys in `parameters` are ignored.
  private static let ownKeywords: Set<String> = ["host", "port", "user", "password", "dbname"]

  /// The keyword/value pairs handed to libpq. Adds `application_name=lmsds` so sessions are
  /// recognisable in `pg_stat_activity`, and `client_encoding=UTF8` because every string the
  /// driver sends or decodes is UTF-8 whatever the database's encoding.
  var libpqParameters: [(keyword: String, value: String)] {
    var pairs: [(keyword: String, value: String)] = []
    if !host.isEmpty { pairs.append(("host", host)) }
    pairs.append(("port", String(port)))
    if let user { pairs.append(("user", user)) }
    if let password { pairs.append(("password", password)) }
    if let database { pairs.append(("dbname", database)) }
    for (keyword, value) in parameters.sorted(by: { $0.key < $1.key })
    where !Self.ownKeywords.contains(keyword) {
      pairs.append((keyword, value))
    }
    if parameters["application_name"] == nil { pairs.append(("application_name", "lmsds")) }
    if parameters["client_encoding"] == nil { pairs.append(("client_encoding", "UTF8")) }
    return pairs
  }

  /// Where the connection goes, for error messages: never the password nor other parameters
  /// (`sslpassword` would be one).
  var endpointDescription: String {
    var text = "\(host.isEmpty ? "localhost" : host):\(port)"
    if let database { text += ", database \(database)" }
    if let user { text += ", user \(user)" }
    return text
  }
}
