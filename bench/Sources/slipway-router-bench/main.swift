// The router benchmark's driver; see bench/README.md.
print("slipway-router-bench: not written yet")
