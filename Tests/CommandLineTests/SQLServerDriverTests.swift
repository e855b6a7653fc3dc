import Foundation
import LMSDSTestSupport
import Testing

/// The Ed-Fi loader's default engine is SQL Server; a machine without its ODBC driver gets an
/// error that says what to install and how to choose another driver.
struct SQLServerDriverTests {
  @Test(.enabled(if: !odbcDriverRegistered("ODBC Driver 18 for SQL Server")))
  func anEdFiCommandLineWithoutTheDefaultDriverSaysHowToGetOne() throws {
    let scratch = try ScratchDirectory()
    let run = try LmsdsRun.run(
      ["load", "-c", sampleRoot, "-s", "127.0.0.1", "--port", "1", "-d", "lms", "-u", "sa"],
      in: scratch.path, environment: ["DB_PASSWORD": "not-a-real-secret"])
    #expect(run.status == 1, "\(run.output)")
    for advice in [
      "the ODBC driver 'ODBC Driver 18 for SQL Server' is not installed", "msodbcsql18",
      "ODBC Driver 17", "FreeTDS", "?driver=FreeTDS",
    ] {
      #expect(run.standardError.contains(advice), "\(advice): \(run.output)")
    }
    #expect(!run.output.contains("not-a-real-secret"))
    #expect(!scratch.exists("lms.sqlite"))
  }

  @Test func aDriverChosenInTheURLThatIsNotInstalledIsNamed() throws {
    let scratch = try ScratchDirectory()
    let run = try LmsdsRun.run(
      [
        "migrate", "--database",
        "mssql://sa@127.0.0.1:1/lms?driver=ODBC%20Driver%2099%20for%20SQL%20Server",
      ], in: scratch.path)
    #expect(run.status == 1, "\(run.output)")
    #expect(
      run.standardError.contains(
        "the ODBC driver 'ODBC Driver 99 for SQL Server' is not installed"),
      "\(run.output)")
  }
}

/// Whether unixODBC lists a driver of that name (odbcinst.ini); read through `odbcinst` so that
/// ODBCSYSINI and the build's configured paths count as they do for lmsds.
private func odbcDriverRegistered(_ name: String) -> Bool {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["odbcinst", "-q", "-d"]
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return String(decoding: data, as: UTF8.self).contains("[\(name)]")
}
