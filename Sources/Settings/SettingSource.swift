/// Where a setting came from, for the log line that says which configuration a run used.
public enum SettingSource: Sendable, Hashable, CustomStringConvertible {
  /// A command-line option, e.g. `--database`.
  case flag(String)
  /// A variable of the process environment.
  case environment(String)
  /// A variable of the `.env` file.
  case dotEnv(String)
  /// The Ed-Fi loader's options and variables; each name as `--server`, `DB_NAME` or
  /// `.env DB_PASSWORD`.
  case edFiOptions([String])
  case defaultValue

  public var description: String {
    switch self {
    case .flag(let name): return name
    case .environment(let name): return "environment variable \(name)"
    case .dotEnv(let name): return ".env \(name)"
    case .edFiOptions(let names): return "Ed-Fi options " + names.joined(separator: ", ")
    case .defaultValue: return "default"
    }
  }
}
