extension Migrator {
    /// An applied migration file whose comments were edited afterwards, its statements left as they were.
    ///
    /// A database that recorded ``earlierChecksum`` for ``file`` is accepted as long as the file, with
    /// its comments removed, still hashes to ``codeChecksum``. So a comment can be corrected, and any
    /// later change to a statement of the file is still refused as a changed migration.
    public struct CommentEdit: Sendable, Hashable {
        /// The file name, for example `0016_signal_forwards.sql`.
        public let file: String
        /// Lowercase hex SHA-256 of the file's bytes before the edit, as databases migrated then recorded it.
        public let earlierChecksum: String
        /// Lowercase hex SHA-256 of the file without comments (``SQLScript/withoutComments(_:)``),
        /// the same before and after the edit.
        public let codeChecksum: String

        /// - Parameters:
        ///   - file: the file name, `NNNN_name.sql`.
        ///   - earlierChecksum: lowercase hex SHA-256 of the file's bytes before the edit.
        ///   - codeChecksum: lowercase hex SHA-256 of the file's text without comments.
        public init(file: String, earlierChecksum: String, codeChecksum: String) {
            self.file = file
            self.earlierChecksum = earlierChecksum
            self.codeChecksum = codeChecksum
        }
    }

    /// The comment edits of the shipped migrations: their first lines named the tracker discussions
    /// behind them, which a reader of the repository cannot open; they now name the decision records
    /// in `docs/decisions/`.
    public static let commentEdits: [CommentEdit] = [
        CommentEdit(file: "0015_fraud_signal_lifecycle.sql",
                    earlierChecksum: "25629de240dc0519eadead0b429b2f7e6f0186e0a58e41a5be590e58dfdcc9ea",
                    codeChecksum: "7dccb0c41d193b9c6b2ee20bd1a8c68d31d92d6987c64464dacbe48b1e0a09bf"),
        CommentEdit(file: "0016_signal_forwards.sql",
                    earlierChecksum: "f3e513f897b93d0698f5034bd6d97deb294dea32bfb3ff9b60b2ff7ba22c6cba",
                    codeChecksum: "a252fa1aaeeeb07ed0ddd8a48b9c8808bdd3cd69844e036393cde130d1192768"),
        CommentEdit(file: "0017_signal_relations.sql",
                    earlierChecksum: "6e9c1c73dda988fc104fb9244c7205c41665917cb02b813c0b34b0c2e26f639a",
                    codeChecksum: "7cf150e1c784d0b2c1663039dd5d415d3b0f6d9f72fd068012bb59e8ad17f0d2"),
        CommentEdit(file: "0018_signal_match_rejections.sql",
                    earlierChecksum: "43e1fa9988f94bb9f42902c7d9c8fa1b35d640da2cf23e0f36d524c465945b89",
                    codeChecksum: "2139c2f4889d22c724fd30080648ddbca2fb543a2600ad345d33eea18fb5778a"),
        CommentEdit(file: "0020_idempotency_keys.sql",
                    earlierChecksum: "b239c8c4f43632873ba5f75fc1e704971e80f0a21304177d3dbd407c391dca08",
                    codeChecksum: "56209a535b7bceba8833fd102cba79ca6f4122b0e13a71fcc726121fae6df197"),
        CommentEdit(file: "0021_signal_school_links.sql",
                    earlierChecksum: "e957b858b50d4b879e251439a59275c84fa1b7c602ae5ee414022e2a3094c734",
                    codeChecksum: "b94d156ff46671386cb99b4a586c7f4241a08e5cba8aea5baf48b58bc051b59d"),
        CommentEdit(file: "0022_organisations.sql",
                    earlierChecksum: "530c6ff178fe02e71f29086fd7ca64073c22e56abec5659a7fcb9b57e5ff0f83",
                    codeChecksum: "ea7c953b14846a82e968c740b215628f167efcec8cb5b0b1318d582dee3e0076"),
        CommentEdit(file: "0023_audit_chain.sql",
                    earlierChecksum: "f2e9b7e432a6cd886c2d6d1b81fd52cb623198ddc4d4568dd3f61fa4f69a9438",
                    codeChecksum: "4f11aba8bf1fe10d7c40cb561279f71c5f6898b8756f6ed9307d89058a3c8680"),
        CommentEdit(file: "0024_signal_text_retention.sql",
                    earlierChecksum: "fcb7d05f426ae9cb1e5240568f0b4cd08be80d0fa41a0b2dccc679dc33feb07a",
                    codeChecksum: "19a7d191262dc74f8648962ea3306180b9ec68be8fcd015f90a21db88a679c55"),
        CommentEdit(file: "0025_signal_history.sql",
                    earlierChecksum: "0d06208462b0d33adb114d61931ff233533ae574538a27566e3db045becbccdb",
                    codeChecksum: "01897161dbb374fbb0d8a520b7d6282f014db2ba048ce91629025b1e6d52b2ea"),
        CommentEdit(file: "0026_risk_models.sql",
                    earlierChecksum: "761a97f082c40af53009f497063fa10b4bbf368ecd002656072a0222f01ba307",
                    codeChecksum: "c22b85d63be57b0ac4c71845d533b00bb6d3c5de1c2236ca862507e17a20ec11"),
        CommentEdit(file: "0027_procurement_checks.sql",
                    earlierChecksum: "7413a8b69e767635e084fbad68e58c4bfc296dae3a48e36dc2a7022fa5c2dbd7",
                    codeChecksum: "54af38bed696837e5275b729ef8ea0ac667dd7145aa865dfe8152bf3da454375"),
        CommentEdit(file: "0028_web_sessions.sql",
                    earlierChecksum: "ab27f5dddde61c559e262c6f2c6f68989cd7990ba6bb198e96f734d26cabc850",
                    codeChecksum: "446e84a4a6eb97eb4b9b259b9b0a36ee1528445e54b9cd2f35efd94d6376c918"),
    ]
}
