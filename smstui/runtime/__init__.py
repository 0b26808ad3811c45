"""The bottom layer beside protocol: where files live, logging, owner-only files, the in-loop server, strict config."""
