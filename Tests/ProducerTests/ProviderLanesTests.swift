import ExtractorTree
import Foundation
import Kafka
import Messages
import Store
import Testing

@testable import Producer

private func produce(
  _ roots: [SourceRoot], _ store: ScratchLedger, _ publisher: any FilePublishing
) async throws -> ProduceSummary {
  try await ProduceRun(
    connection: store.connection, publisher: publisher, logger: quietLogger, options: .init()
  ).run(roots)
}

/// Holds provider `a`'s first send until provider `b` has sent one: only lanes that send side by
/// side get past it. A run sending one file at a time would wait for ever; the wait gives up
/// after 10 s and fails that send instead.
private final class RendezvousPublisher: FilePublishing, @unchecked Sendable {
  // `@unchecked Sendable`: the mutable state is only touched under `lock`.
  private let lock = NSLock()
  private var sent: [ProviderName: [String]] = [:]
  private let bSent = Rendezvous()

  func publish(_ message: FileMessage) async throws -> PublishReceipt {
    if message.provider == "a", lock.withLock({ sent["a"] == nil }) {
      guard await bSent.wait(giveUpAfter: .seconds(10)) else { throw PublishFailure() }
    }
    let offset = lock.withLock {
      sent[message.provider, default: []].append(message.relativePath)
      return sent[message.provider]!.count - 1
    }
    if message.provider == "b" { await bSent.open() }
    return PublishReceipt(topic: "t", partition: 0, offset: Offset(Int64(offset)))
  }

  func paths(of provider: ProviderName) -> [String] { lock.withLock { sent[provider] ?? [] } }
}

/// A gate opened once; waiters resume when it opens, or get false when they give up.
private actor Rendezvous {
  private var isOpen = false
  private var waiters: [CheckedContinuation<Void, Never>] = []

  func open() {
    isOpen = true
    for waiter in waiters { waiter.resume() }
    waiters = []
  }

  func wait(giveUpAfter limit: Duration) async -> Bool {
    let timer = Task { [weak self] in
      try? await Task.sleep(for: limit)
      await self?.giveUp()
    }
    defer { timer.cancel() }
    if !isOpen { await withCheckedContinuation { waiters.append($0) } }
    return isOpen
  }

  private func giveUp() {
    for waiter in waiters { waiter.resume() }
    waiters = []
  }
}

/// Fails every send of `provider` from its `failAt`-th (1-based) on; records the others.
private final class ProviderFailingPublisher: FilePublishing, @unchecked Sendable {
  // `@unchecked Sendable`: the mutable state is only touched under `lock`.
  private let lock = NSLock()
  private var sent: [ProviderName: [String]] = [:]
  private var calls: [ProviderName: Int] = [:]
  private let provider: ProviderName
  private let failAt: Int

  init(provider: ProviderName, failAt: Int) {
    self.provider = provider
    self.failAt = failAt
  }

  func publish(_ message: FileMessage) async throws -> PublishReceipt {
    try lock.withLock {
      calls[message.provider, default: 0] += 1
      if message.provider == provider, calls[message.provider]! >= failAt {
        throw PublishFailure()
      }
      sent[message.provider, default: []].append(message.relativePath)
      return PublishReceipt(
        topic: "t", partition: 0, offset: Offset(Int64(sent[message.provider]!.count - 1)))
    }
  }

  func paths(of provider: ProviderName) -> [String] { lock.withLock { sent[provider] ?? [] } }
}

@Suite struct ProviderLanesTests {
  @Test func providersSendSideBySideEachInApplyOrder() async throws {
    let (a, b) = (try makeTree(), try makeTree())
    let store = try ScratchLedger()
    let publisher = RendezvousPublisher()
    let summary = try await produce(
      [SourceRoot(provider: "a", path: a.path), SourceRoot(provider: "b", path: b.path)], store,
      publisher)

    #expect(summary.failure == nil)
    #expect(publisher.paths(of: "a") == fourFilesInApplyOrder)
    #expect(publisher.paths(of: "b") == fourFilesInApplyOrder)
    let entries = try store.ledger.entries()
    for provider: ProviderName in ["a", "b"] {
      #expect(
        entries.filter { $0.provider == provider }.map(\.relativePath) == fourFilesInApplyOrder)
    }
    #expect(entries.allSatisfy { $0.outcome == .published })
  }

  @Test func aFailureInOneLaneStopsTheRunWithEverySentFileRecorded() async throws {
    let (a, b) = (try makeTree(), try makeTree())
    let store = try ScratchLedger()
    let publisher = ProviderFailingPublisher(provider: "b", failAt: 2)
    let summary = try await produce(
      [SourceRoot(provider: "a", path: a.path), SourceRoot(provider: "b", path: b.path)], store,
      publisher)

    #expect(summary.exitCode == 1)
    #expect(summary.failure?.contains("b/\(fourFilesInApplyOrder[1])") == true)
    #expect(publisher.paths(of: "b") == [fourFilesInApplyOrder[0]])
    // Provider a stops before its next send: what it sent is the start of its order.
    let sentByA = publisher.paths(of: "a")
    #expect(sentByA == Array(fourFilesInApplyOrder.prefix(sentByA.count)))
    let entries = try store.ledger.entries()
    #expect(entries.filter { $0.provider == "a" }.map(\.relativePath) == sentByA)
    #expect(entries.filter { $0.provider == "b" }.map(\.relativePath) == [fourFilesInApplyOrder[0]])

    let resumed = RecordingPublisher()
    _ = try await produce(
      [SourceRoot(provider: "a", path: a.path), SourceRoot(provider: "b", path: b.path)], store,
      resumed)
    #expect(
      resumed.messages.filter { $0.provider == "b" }.map(\.relativePath)
        == Array(fourFilesInApplyOrder.dropFirst()))
    #expect(
      resumed.messages.filter { $0.provider == "a" }.map(\.relativePath)
        == Array(fourFilesInApplyOrder.dropFirst(sentByA.count)))
  }

  @Test func publishedRowsAreWrittenInBatchesAndAllOfThemBeforeTheRunEnds() async throws {
    // More files than one ledger write holds, and a failure past the first write.
    let count = ProduceRun.publishedRowsPerWrite + 60
    let files = (0..<count).map {
      String(format: "users/2021-01-01-00-%02d-%02d.csv", $0 / 60, $0 % 60)
    }
    let tree = try makeTree(files: files)
    let store = try ScratchLedger()
    let failing = RecordingPublisher(failAt: count - 9)
    let summary = try await produce([SourceRoot(provider: "p", path: tree.path)], store, failing)

    #expect(summary.exitCode == 1)
    #expect(failing.paths == Array(files.prefix(count - 10)))
    #expect(try store.ledger.entries().map(\.relativePath) == failing.paths)

    let resumed = RecordingPublisher()
    _ = try await produce([SourceRoot(provider: "p", path: tree.path)], store, resumed)
    #expect(resumed.paths == Array(files.suffix(10)))
    #expect(try store.ledger.entries().count == count)
  }
}
