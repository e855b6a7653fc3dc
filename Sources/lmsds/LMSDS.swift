import ArgumentParser
import Foundation

@main
struct LMSDS: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "lmsds",
    abstract: "Loads LMS extractor output (Ed-Fi LMS-UDM CSV) into the LMS Data Store.",
    version: LMSDSVersion.current,
    subcommands: [
      LoadCommand.self, ProduceCommand.self, WorkCommand.self, ReplayCommand.self,
      MigrateCommand.self, LedgerCommand.self, ServeCommand.self, PullCommand.self,
      ArchiveCommand.self,
    ])

  /// Maps outcomes onto the documented exit statuses: 0 done, 3 done with rejections or invalid
  /// rows, 1 could not run, 2 usage error.
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let failure as CommandFailure {
      FailureOutput.write(failure.message)
      Foundation.exit(failure.status.rawValue)
    } catch let exit as ExitCode {
      Foundation.exit(exit.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(code == .validationFailure ? 2 : 1)
    }
  }
}
