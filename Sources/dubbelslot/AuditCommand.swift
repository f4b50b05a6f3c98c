import ArgumentParser
import DubbelslotAPI
import DubbelslotStore
import Foundation

/// `dubbelslot audit`: verify the audit chain, show or sign its checkpoints, make a signing key.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the hash-chained audit log and its signed checkpoints.",
        subcommands: [Verify.self, Checkpoint.self, Keygen.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every hash of the audit chain in seq order, and check a kept checkpoint.",
            discussion: """
                Prints "audit chain intact: N entries" and exits 0, or prints why not on standard error and \
                exits 1: a broken link, entries waiting unsequenced longer than --bound-seconds (no sequencer \
                runs), or, with --against, a kept checkpoint the log no longer holds (entries removed or \
                rewritten).
                """)
        @OptionGroup var options: CommonOptions
        @Option(name: .customLong("against"), help: "A checkpoint kept earlier (JSON from `audit checkpoint` or GET /v1/audit/checkpoints/latest).")
        var checkpointFile: String?
        @Option(name: .customLong("key-id"), help: "Require the checkpoint to be signed by this key (lowercase hex SHA-256 of the public key).")
        var keyId: String?
        @Option(name: .customLong("bound-seconds"), help: "How long an entry may wait unsequenced (default 1).")
        var boundSeconds: Double = 1

        /// The checkpoint kept in `file`, or `nil` without one; a bad file ends the command with one line.
        static func read(_ file: String?) throws -> AuditCheckpoint? {
            guard let file else { return nil }
            guard let data = FileManager.default.contents(atPath: file) else {
                printError("error: cannot read \(file)")
                throw ExitCode.failure
            }
            guard let checkpoint = try? JSONDecoder().decode(AuditCheckpoint.self, from: data) else {
                printError("error: \(file) is not a checkpoint (JSON with size, headHash, atMicros, keyId, publicKey, signature)")
                throw ExitCode.failure
            }
            return checkpoint
        }

        func validate() throws {
            guard boundSeconds > 0, boundSeconds <= 86_400 else { throw ValidationError("--bound-seconds must be between 0 and 86400") }
        }

        func run() async throws {
            let settings = try await options.settings()
            let logger = makeLogger(settings)
            let kept = try Self.read(checkpointFile)
            let bound = Duration.milliseconds(Int64(boundSeconds * 1000))
            let keyId = keyId
            let outcome: Result<AuditLog.VerifyResult, AuditCheckpoint.Mismatch>
            do {
                outcome = try await withStore(settings, logger: logger) { store in
                    if let kept {
                        do {
                            _ = try await AuditCheckpoint.verify(kept, expectedKeyId: keyId, client: store.client, logger: logger)
                        } catch let mismatch as AuditCheckpoint.Mismatch {
                            return .failure(mismatch)
                        }
                    }
                    return .success(try await AuditLog.verify(client: store.client, bound: bound, logger: logger))
                }
            } catch {
                throw fail(error, logger: logger)
            }
            switch outcome {
            case .failure(let mismatch):
                printError("checkpoint of \(kept?.size ?? 0) entries does not hold: \(mismatch)")
                throw ExitCode.failure
            case .success(.intact(let entries)):
                print("audit chain intact: \(entries) entries" + (kept.map { "; it holds the checkpoint of \($0.size) entries" } ?? ""))
            case .success(.stalled(let entries, let pending, let oldest)):
                printError("audit chain of \(entries) entries intact, but \(pending) entries wait unsequenced, the oldest for "
                           + String(format: "%.1f", oldest) + " s: is a service (the sequencer) running?")
                throw ExitCode.failure
            case .success(.broken(let seq, let reason)):
                printError("audit chain broken at seq \(seq): \(reason)")
                throw ExitCode.failure
            }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the newest signed checkpoint as JSON (keep it; verify against it later).",
            discussion: "With --sign, signs one now with audit.signingKeyFile first. Exits 1 when there is none.")
        @OptionGroup var options: CommonOptions
        @Flag(help: "Sign a checkpoint of the log as it stands now first.") var sign = false

        func run() async throws {
            let settings = try await options.settings()
            let logger = makeLogger(settings)
            let checkpoint: AuditCheckpoint?
            do {
                let key = try sign ? settings.auditSigningKeyFile.map { try AuditSigningKey.load(path: $0) } : nil
                if sign, key == nil {
                    printError("error: --sign needs audit.signingKeyFile (DUBBELSLOT_AUDIT_SIGNINGKEYFILE)")
                    throw ExitCode.failure
                }
                checkpoint = try await withStore(settings, logger: logger) { store in
                    if let key { try await AuditCheckpoint.sign(client: store.client, key: key, logger: logger) }
                    return try await AuditCheckpoint.latest(client: store.client, logger: logger)
                }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                throw fail(error, logger: logger)
            }
            guard let checkpoint else {
                printError("error: no checkpoint has been signed yet (the log is empty, or no service with a signing key ran)")
                throw ExitCode.failure
            }
            print(String(decoding: try AuditCheckpoint.encoder.encode(checkpoint), as: UTF8.self))
        }
    }

    struct Keygen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make an Ed25519 key to sign audit checkpoints with.",
            discussion: """
                Writes the private key (base64, mode 0600) to --output, never over an existing file, and prints \
                the public key and its key id: publish those where the inspectorate reads them.
                """)
        @Option(help: "Where to write the private key.") var output: String

        func run() async throws {
            do {
                let published = AuditSigningKey.publication(of: try AuditSigningKey.generate(path: output))
                print("public key (base64): \(published.publicKey)")
                print("key id: \(published.keyId)")
            } catch let error as AuditSigningKeyError {
                printError("error: \(error.description)")
                throw ExitCode.failure
            }
        }
    }
}
