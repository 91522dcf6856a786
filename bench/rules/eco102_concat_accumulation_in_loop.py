"""ECO102 concat-accumulation-in-loop: `x += part` in a loop vs parts.append + join.

n is the number of 10-character parts. Three tables: a bytes local (reported), a str
attribute (reported) and a str local (reported at `info`: CPython's in-place trick).
"""

from __future__ import annotations

from types import SimpleNamespace

from harness import main


def setup_bytes(n: int) -> list[bytes]:
    return [b"%09d\n" % i for i in range(n)]


def setup_str(n: int) -> list[str]:
    return [f"{i:09d}\n" for i in range(n)]


def bad_bytes(chunks: list[bytes]) -> bytes:
    out = b""
    for chunk in chunks:
        out += chunk
    return out


def good_bytes(chunks: list[bytes]) -> bytes:
    parts = []
    for chunk in chunks:
        parts.append(chunk)
    return b"".join(parts)


def bad_attribute(chunks: list[str]) -> str:
    holder = SimpleNamespace(text="")
    for chunk in chunks:
        holder.text += chunk
    return holder.text


def good_attribute(chunks: list[str]) -> str:
    holder = SimpleNamespace(text="")
    parts = []
    for chunk in chunks:
        parts.append(chunk)
    holder.text = "".join(parts)
    return holder.text


def bad_local(chunks: list[str]) -> str:
    text = ""
    for chunk in chunks:
        text += chunk
    return text


def good_local(chunks: list[str]) -> str:
    parts = []
    for chunk in chunks:
        parts.append(chunk)
    return "".join(parts)


if __name__ == "__main__":
    main("bytes local: out += chunk", setup_bytes, bad_bytes, good_bytes)
    main("str attribute: holder.text += chunk", setup_str, bad_attribute, good_attribute)
    main("str local: text += chunk (info)", setup_str, bad_local, good_local)
