import Foundation
import Messages
import Testing

@testable import ExtractorTree

/// A root with nothing to load is named with its likely mistake.
struct RootSurveyTests {
  @Test func anLMSUDMFileMeansNoProblem() throws {
    let tree = try TemporaryTree()
    try tree.write("users/2024-05-01-02-00-00.csv")
    try tree.write("notes.csv")
    let survey = try RootSurvey.survey(SourceRoot(provider: "canvas", path: tree.path))
    #expect(survey.recognized == 1)
    #expect(survey.unrecognized == ["notes.csv"])
    #expect(survey.problem == nil)
  }

  @Test func anEmptyRootSaysSo() throws {
    let tree = try TemporaryTree()
    try tree.write("README.txt", "not a csv")
    let problem = try RootSurvey.survey(SourceRoot(provider: "canvas", path: tree.path)).problem
    #expect(problem?.contains("holds no .csv file") == true, "\(problem ?? "nil")")
  }

  @Test func aRootOneLevelTooHighPointsToSources() throws {
    let tree = try TemporaryTree()
    try tree.write("canvas/users/2024-05-01-02-00-00.csv")
    try tree.write("schoology/section=7/grades/2024-05-01-02-00-00.csv")
    let problem = try RootSurvey.survey(SourceRoot(provider: "all", path: tree.path)).problem
    #expect(problem?.contains("canvas, schoology look like provider roots") == true)
    #expect(problem?.hasSuffix("use --sources \(tree.path)") == true, "\(problem ?? "nil")")
  }

  @Test func aResourceDirectoryTakenForAProviderPointsToCsvpath() throws {
    let tree = try TemporaryTree()
    try tree.write("canvas/users/2024-05-01-02-00-00.csv")
    let roots = try SourceRoot.sources(in: tree.path + "/canvas")
    #expect(roots.map(\.provider) == ["users"])
    let problem = try RootSurvey.survey(roots[0]).problem
    #expect(
      problem?.hasSuffix(
        "its parent looks like one provider's root: use --csvpath \(tree.path)/canvas")
        == true, "\(problem ?? "nil")")
  }

  @Test func otherwiseItNamesAnExample() throws {
    let tree = try TemporaryTree()
    try tree.write("export/users.csv")
    let problem = try RootSurvey.survey(SourceRoot(provider: "canvas", path: tree.path)).problem
    #expect(problem?.contains("none at an LMS-UDM path") == true)
    #expect(problem?.hasSuffix("for example export/users.csv") == true, "\(problem ?? "nil")")
  }
}
