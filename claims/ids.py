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


def first_of_identical(members, id_at: int) -> tuple[tuple, tuple[str, ...]]:
    """Of a group of items with identical content, the one that sorts first, and the ids of the others.

    `members` are tuples ordered so that the one to keep sorts first; the id
    is at index `id_at`. Copies are then linked to the kept one (a star), not
    to each other.
    """
    members = sorted(members)
    return members[0], tuple(member[id_at] for member in members[1:])
