/// Whether the store is still the file it was opened as.
extension Engine {
    /// Why what is read no longer comes from the store's file (it was replaced or removed), nil while it is.
    public var storeFileProblem: String? { store.fileProblem }
}
