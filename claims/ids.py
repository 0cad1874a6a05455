"""Stable identifiers: the same input gives the same IDs on every run and runner."""
import hashlib


def stable_id(prefix: str, *parts: object) -> str:
    """A short hex digest of `parts`, prefixed, e.g. ``stable_id("c", "a1", 10)``.

    Python's built-in ``hash`` is salted per process, so it would give other
    IDs on every worker; blake2b does not.
    """
    joined = "\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")
    return f"{prefix}-{hashlib.blake2b(joined, digest_size=8).hexdigest()}"


def stable_hash64(text: str) -> int:
    """A 64-bit integer hash of `text` that is the same in every process."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")
