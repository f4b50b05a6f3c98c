/// Rules for text that spreadsheets open: shared by the risk report's CSV and the web pages' exports.
public enum Spreadsheet {
    /// `text` made formula-safe: text starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets
    /// a leading apostrophe, so Excel and LibreOffice show it instead of running it (OWASP, "CSV Injection").
    public static func formulaSafe(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return text }
        return "'" + text
    }
}
