import Testing

@testable import UDM

@Suite struct SubmissionTypeListTests {
  @Test(
    arguments: [
      ("", []),
      ("[]", []),
      ("[ ]", []),
      ("online_upload", ["online_upload"]),
      ("ASSIGNMENT", ["ASSIGNMENT"]),
      (" online_upload", [" online_upload"]),
      ("['online_text_entry', 'online_upload']", ["online_text_entry", "online_upload"]),
      ("[\"a\",\"b\"]", ["a", "b"]),
      ("['a', \"b\"]", ["a", "b"]),
      ("['a','b','a']", ["a", "b"]),
      ("online_upload,online_upload", ["online_upload,online_upload"]),
      ("['', 'a', '']", ["a"]),
      ("['a',,'b',]", ["a", "b"]),
      ("[ 'it\\'s' ,\t\"say \\\"hi\\\"\" ]", ["it's", "say \"hi\""]),
      ("['back\\\\slash']", ["back\\slash"]),
      ("['a,b']", ["a,b"]),
      ("['é😀']", ["é😀"]),
      ("[", ["["]),
      ("['a'", ["['a'"]),
      ("]", ["]"]),
    ] as [(String, [String])])
  func parses(_ input: String, _ expected: [String]) {
    #expect(SubmissionTypeList.parse(input) == expected, "\(input)")
  }

  @Test(arguments: [
    "['a]", "['a' 'b']", "[a]", "['a', b]", "['a'x]", "['a\\']", "[\"a']",
  ])
  func malformed(_ input: String) {
    #expect(SubmissionTypeList.parse(input) == nil, "\(input)")
  }
}
