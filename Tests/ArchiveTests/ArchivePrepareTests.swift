import Archive
import Foundation
import LMSDSTestSupport
import Testing

/// The archive's directory at the start of a run: made when missing, refused when unusable.
@Suite struct ArchivePrepareTests {
  @Test func createsAMissingDirectoryWithItsParentsOnce() throws {
    let scratch = try ScratchDirectory(prefix: "archive-prepare")
    let archive = FileArchive(directory: scratch.path + "/volume/lmsds/archive")
    #expect(try archive.prepare())
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: archive.directory, isDirectory: &isDirectory))
    #expect(isDirectory.boolValue)
    // Already there: nothing to do, and what it holds is left alone.
    try "kept".write(toFile: archive.directory + "/note", atomically: true, encoding: .utf8)
    #expect(try archive.prepare() == false)
    #expect(try String(contentsOfFile: archive.directory + "/note", encoding: .utf8) == "kept")
  }

  @Test func aFileWhereTheDirectoryShouldBeIsRefusedByName() throws {
    let scratch = try ScratchDirectory(prefix: "archive-prepare")
    let file = scratch.path + "/archive"
    try "not a directory".write(toFile: file, atomically: true, encoding: .utf8)
    let error = #expect(throws: ArchiveError.self) { try FileArchive(directory: file).prepare() }
    #expect(error?.path == file)
    #expect(error?.description.contains("not a directory") == true)

    let below = FileArchive(directory: file + "/inside")
    let nested = #expect(throws: ArchiveError.self) { try below.prepare() }
    #expect(nested?.description.contains(file + "/inside") == true)
  }
}
