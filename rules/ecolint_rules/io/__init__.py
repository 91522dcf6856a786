"""ECO2xx: files, I/O and logging."""
