"""ECO801 heavy-image-format: bytes and decode time of real images as BMP, TIFF, GIF vs WebP, AVIF.

Each input image (by default a photograph and three screenshots found on this machine in
the Rust documentation; `--images` to pass others) is encoded with Pillow as BMP, TIFF
(Pillow's default, uncompressed, and LZW), GIF (256 colours) and as WebP (lossless and
quality 80) and AVIF (quality 60). The table gives the file size of each, the ratio of the
smallest flagged format to lossless WebP, and the median time to decode each file
(Pillow, 7 runs), which every viewer pays once per view. Needs Pillow
(`pip install pillow`), which is not an ecolint dependency.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

RUST_DOCS = Path.home() / ".rustup/toolchains/stable-x86_64-unknown-linux-gnu/share/doc/rust/html"
DEFAULT_IMAGES = [
    RUST_DOCS / "embedded-book/assets/f3.jpg",
    RUST_DOCS / "rustdoc/images/collapsed-trait-impls.png",
    RUST_DOCS / "rustc/images/image1.png",
    RUST_DOCS / "book/img/trpl14-01.png",
]
FLAGGED = ("BMP", "TIFF", "TIFF-LZW", "GIF")
MODERN = ("WEBP-lossless", "WEBP-q80", "AVIF-q60")


def encode(image, kind: str) -> bytes:
    buffer = io.BytesIO()
    rgb = image.convert("RGB")
    if kind == "BMP":
        rgb.save(buffer, "BMP")
    elif kind == "TIFF":
        rgb.save(buffer, "TIFF")
    elif kind == "TIFF-LZW":
        rgb.save(buffer, "TIFF", compression="tiff_lzw")
    elif kind == "GIF":
        rgb.quantize(256).save(buffer, "GIF", optimize=True)
    elif kind == "WEBP-lossless":
        rgb.save(buffer, "WEBP", lossless=True, method=4)
    elif kind == "WEBP-q80":
        rgb.save(buffer, "WEBP", quality=80, method=4)
    elif kind == "AVIF-q60":
        rgb.save(buffer, "AVIF", quality=60)
    return buffer.getvalue()


def decode_seconds(data: bytes, runs: int = 7) -> float:
    from PIL import Image

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with Image.open(io.BytesIO(data)) as decoded:
            decoded.load()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--images", type=Path, nargs="*", default=DEFAULT_IMAGES)
    args = parser.parse_args()
    try:
        from PIL import Image
    except ImportError:
        raise SystemExit("this benchmark needs Pillow: pip install pillow") from None
    images = [path for path in args.images if path.is_file()]
    if not images:
        raise SystemExit("no input image found; pass some with --images")
    print(__doc__.strip().splitlines()[0])
    for path in images:
        with Image.open(path) as image:
            width, height = image.size
            encoded = {kind: encode(image, kind) for kind in (*FLAGGED, *MODERN)}
        print(f"{path.name} ({width}x{height})")
        for kind, data in encoded.items():
            decode = decode_seconds(data)
            print(f"  {kind:<14} {len(data) / 1024:>9.1f} KiB  decode {decode * 1000:>7.2f} ms")
        smallest_flagged = min(len(encoded[k]) for k in FLAGGED)
        lossless = len(encoded["WEBP-lossless"])
        lossy = len(encoded["WEBP-q80"])
        print(
            f"  smallest flagged / WebP lossless: {smallest_flagged / lossless:.1f}x; "
            f"GIF / WebP lossless: {len(encoded['GIF']) / lossless:.1f}x; "
            f"BMP / WebP q80: {len(encoded['BMP']) / lossy:.0f}x"
        )


if __name__ == "__main__":
    main()
