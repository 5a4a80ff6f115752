# provisioning/: filled in by its own issue (see docs/ARCHITECTURE.md).
